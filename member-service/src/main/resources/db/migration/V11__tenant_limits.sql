-- A tenant's own limits (issue 10): requests a second per service, batch-order and partner cards a day, uploads a
-- day, heavy jobs at once. A limit without a row follows the platform default (membercard.limits.*). A tenant's
-- managers may only lower a limit; a value set by a platform admin (set_by_platform) may pass the default, up to the
-- limit's ceiling. Other services read them through GET /internal/service/limits.
create table tenant_limit (
    tenant_id       bigint      not null,
    name            varchar(32) not null,
    value           bigint      not null check (value > 0),
    set_by_platform boolean     not null default false,
    updated_at      timestamptz not null default now(),
    updated_by      varchar(64) not null,
    primary key (tenant_id, name)
);
