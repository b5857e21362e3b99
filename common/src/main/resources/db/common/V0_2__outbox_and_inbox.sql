-- Transactional outbox: events written in the same transaction as the change they describe, delivered at
-- least once to every subscriber (io.membercard.common.events).
create table outbox_event (
    id           bigserial   primary key,
    event_id     uuid        not null unique,
    tenant_id    bigint      not null,
    type         varchar(60) not null,
    aggregate_id varchar(64) not null,
    payload      text        not null,
    created_at   timestamptz not null default now()
);

create table outbox_delivery (
    id              bigserial   primary key,
    event_id        bigint      not null references outbox_event (id),
    subscriber      varchar(60) not null,
    attempts        integer     not null default 0,
    next_attempt_at timestamptz not null default now(),
    delivered_at    timestamptz,
    last_error      varchar(300),
    unique (event_id, subscriber)
);
create index outbox_delivery_due on outbox_delivery (next_attempt_at, id) where delivered_at is null;

-- Events this service received, by event id: a redelivered event is recognised and applied only once.
create table inbox_event (
    event_id    uuid        primary key,
    tenant_id   bigint      not null,
    type        varchar(60) not null,
    received_at timestamptz not null default now()
);
