-- The outbox delivers in the order events are seen committed, not in the order of their ids or transaction ids: a
-- transaction's id and its events' ids are taken while it runs, and it may commit after later ones. The dispatcher
-- stamps committed events with a sequence number (seq), one stamping at a time, and subscribers read by seq: an
-- event that commits late is stamped late, after everything already handed out, so no cursor can pass it. Nothing
-- waits on other transactions (the former tx_id fence waited on the oldest running transaction of the whole
-- database, any service's).
alter table outbox_event add column seq bigint;
update outbox_event set seq = id;
create unique index outbox_event_by_seq on outbox_event (seq);
create index outbox_event_unstamped on outbox_event (id) where seq is null;
alter table outbox_event drop column tx_id;

-- The last seq given out; the row is locked while a stamping runs.
create table outbox_sequencer (
    id       smallint primary key check (id = 1),
    last_seq bigint   not null
);
insert into outbox_sequencer (id, last_seq) select 1, coalesce(max(id), 0) from outbox_event;

-- A subscriber's cursor is now a seq (the events before the change kept their ids as seq). A round is leased, not
-- held in a transaction, so no database connection or row lock waits on a subscriber's answer. head_refusals counts
-- how often the subscriber answered the first event after its cursor with a refusal (not unreachable).
alter table outbox_cursor rename column last_event_id to last_seq;
alter table outbox_cursor add column leased_until timestamptz;
alter table outbox_cursor add column lease_owner  varchar(64);
alter table outbox_cursor add column head_refusals integer not null default 0;

-- Events a subscriber kept refusing: set aside so that delivery goes on, kept for an operator to look at and send
-- again (admin endpoint /admin/outbox).
create table outbox_dead_letter (
    id            bigserial    primary key,
    subscriber    varchar(60)  not null,
    event_seq     bigint       not null,
    event_id      uuid         not null,
    tenant_id     bigint       not null,
    type          varchar(60)  not null,
    attempts      integer      not null,
    last_error    varchar(300),
    dead_at       timestamptz  not null default now(),
    retry_requested_at timestamptz,
    delivered_at  timestamptz,
    unique (subscriber, event_id)
);
create index outbox_dead_letter_open on outbox_dead_letter (subscriber, id) where delivered_at is null;
