-- The first result of every client serial number (shared by all services: io.membercard.common.idempotency).
create table idempotency_record (
    tenant_id    bigint      not null,
    scope        varchar(40) not null,
    serial       varchar(64) not null,
    request_hash char(64)    not null,
    response     text,
    created_at   timestamptz not null default now(),
    primary key (tenant_id, scope, serial)
);
