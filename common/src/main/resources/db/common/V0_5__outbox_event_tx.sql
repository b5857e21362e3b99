-- The transaction that wrote each event, sent with it: a receiver holding a snapshot the publisher took (a day
-- close's) tells from it whether that snapshot saw the change. Added without rewriting the table: older events have
-- none.
alter table outbox_event add column tx xid8;
alter table outbox_event alter column tx set default pg_current_xact_id();
