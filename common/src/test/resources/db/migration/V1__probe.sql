-- Effects of the test-only probe command, to count how often a serial really ran.
create table probe_effect (
    id        bigserial primary key,
    tenant_id bigint        not null,
    serial    varchar(64)   not null,
    amount    numeric(12, 2) not null
);
