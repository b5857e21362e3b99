-- Shop migrations between tenants (S1-39): the audit record of each run (dry runs included), and the ids the
-- members of the old tenant get in the new one (so that a run taken up again gives them the same ids).
-- state: DRY_RUN (counted only), RUNNING, DONE, FAILED (run it again to finish it), ABORTED (nothing changed)
create table migration (
    id             varchar(64)   collate "C" primary key,
    from_tenant_id bigint        not null,
    to_tenant_id   bigint        not null,
    shop_id        bigint        not null,
    shop_name      varchar(64)   not null default '',
    state          varchar(16)   not null check (state in ('DRY_RUN', 'RUNNING', 'DONE', 'FAILED', 'ABORTED')),
    members        integer       not null default 0,
    cards          integer       not null default 0,
    accounts       integer       not null default 0,
    actual_balance numeric(16,2) not null default 0,
    give_balance   numeric(16,2) not null default 0,
    points         bigint        not null default 0,
    conflicts      text          not null default '',
    error          varchar(300),
    user_id        varchar(64)   not null,
    user_name      varchar(64)   not null default '',
    created_at     timestamptz   not null default now(),
    finished_at    timestamptz
);
create unique index migration_open on migration (from_tenant_id, to_tenant_id, shop_id)
    where state in ('RUNNING', 'FAILED');

create table migration_member (
    migration_id   varchar(64) collate "C" not null references migration (id),
    from_member_id bigint      not null,
    to_member_id   bigint      not null,
    primary key (migration_id, from_member_id)
);
