-- The reconciliation job's state and results (ReconcileJob): a full pass goes through every account by id, page by
-- page, resuming from its cursor after a restart; between passes, accounts changed since the last check are checked
-- again. reconcile_mismatch holds what the last check of each account found; the admin endpoint answers from it.
create table reconcile_state (
    id                  smallint    primary key check (id = 1),
    pass_started_at     timestamptz,
    pass_cursor         bigint      not null default 0,
    last_full_pass_at   timestamptz,
    changed_checked_to  timestamptz not null default now(),
    leased_until        timestamptz,
    lease_owner         varchar(64)
);
insert into reconcile_state (id) values (1);

create table reconcile_mismatch (
    account_id    bigint      not null references account (id),
    tenant_id     bigint      not null,
    card_code     varchar(32) not null,
    figure        varchar(24) not null,
    account_value varchar(40) not null,
    ledger_value  varchar(40) not null,
    found_at      timestamptz not null default now(),
    primary key (account_id, figure)
);
create index reconcile_mismatch_by_tenant on reconcile_mismatch (tenant_id, account_id);

-- Per tenant, what the running pass counted so far and what the last full pass counted.
create table reconcile_tenant (
    tenant_id      bigint      primary key,
    pass_accounts  bigint      not null default 0,
    pass_entries   bigint      not null default 0,
    accounts       bigint      not null default 0,
    entries        bigint      not null default 0,
    checked_at     timestamptz
);

-- Changed accounts are found by their newest entries (an append-only index, cheap to keep).
create index ledger_by_created on ledger_entry (created_at);
