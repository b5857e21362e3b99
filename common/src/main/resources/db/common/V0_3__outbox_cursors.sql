-- The outbox delivers by cursor: each subscriber has read the events up to last_event_id. An event is handed out
-- only once every transaction older than it has ended (tx_id below the snapshot's xmin), so an event committed
-- late under a lower id is never skipped. One insert per event instead of a delivery row per subscriber.
alter table outbox_event add column tx_id xid8 not null default pg_current_xact_id();

create table outbox_cursor (
    subscriber      varchar(60) primary key,
    last_event_id   bigint      not null default 0,
    failures        integer     not null default 0,
    next_attempt_at timestamptz not null default now(),
    last_error      varchar(300)
);

drop table outbox_delivery;
