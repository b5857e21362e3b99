-- Card lifecycle and bulk enrolment: opening balances (import, partner issuing), card replacement and return, and
-- moving a shop's accounts to another tenant. New entry kinds: OPENING, CARD_REPLACED, CARD_RETURN, MIGRATED_OUT,
-- MIGRATED_IN.

-- An account receives at most one opening balance, however often an import or a partner call is repeated.
create unique index ledger_one_opening on ledger_entry (account_id) where kind = 'OPENING';

-- A migration's accounts: which account of which tenant each one came from, so that a repeat moves nothing twice.
create table account_migration (
    migration_id    varchar(64) collate "C" not null,
    from_tenant_id  bigint      not null,
    from_account_id bigint      not null references account (id),
    to_tenant_id    bigint      not null,
    to_account_id   bigint      not null references account (id),
    created_at      timestamptz not null default now(),
    primary key (migration_id, from_account_id)
);
