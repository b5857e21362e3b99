-- payment-service schema: one account per card, its immutable ledger, and what refunds need to know.
-- Every figure of an account is the sum of its ledger entries' deltas; tools check it (ReconcileService).

create table account (
    id              bigserial     primary key,
    tenant_id       bigint        not null,
    card_id         bigint        not null,
    card_code       varchar(32)   collate "C" not null,
    actual_balance  numeric(12,2) not null default 0 check (actual_balance >= 0),
    give_balance    numeric(12,2) not null default 0 check (give_balance >= 0),
    actual_recharge numeric(14,2) not null default 0,
    give_recharge   numeric(14,2) not null default 0,
    actual_expense  numeric(14,2) not null default 0,
    give_expense    numeric(14,2) not null default 0,
    total_points    bigint        not null default 0,
    used_points     bigint        not null default 0,
    expired_points  bigint        not null default 0,
    -- the account's version token (the API's "timestamp"); every change increments it
    version         bigint        not null default 0,
    created_at      timestamptz   not null default now(),
    updated_at      timestamptz   not null default now(),
    unique (tenant_id, card_id),
    check (total_points - used_points - expired_points >= 0)
);
create index account_by_code on account (tenant_id, card_code);

-- kind: RECHARGE, RECHARGE_REFUND, PAYMENT, PAYMENT_REFUND, POINTS_EXPIRED, GIFT_EXCHANGE
create table ledger_entry (
    id              bigserial     primary key,
    tenant_id       bigint        not null,
    account_id      bigint        not null references account (id),
    kind            varchar(24)   not null,
    bill_no         varchar(64)   collate "C",
    ref_entry_id    bigint        references ledger_entry (id),
    payment_type    smallint,
    shop_id         bigint,
    actual_balance  numeric(12,2) not null default 0,
    give_balance    numeric(12,2) not null default 0,
    actual_recharge numeric(14,2) not null default 0,
    give_recharge   numeric(14,2) not null default 0,
    actual_expense  numeric(14,2) not null default 0,
    give_expense    numeric(14,2) not null default 0,
    total_points    bigint        not null default 0,
    used_points     bigint        not null default 0,
    expired_points  bigint        not null default 0,
    version_after   bigint        not null,
    user_id         varchar(64)   not null,
    user_name       varchar(64)   not null default '',
    remark          varchar(200)  not null default '',
    created_at      timestamptz   not null default now()
);
create index ledger_by_account on ledger_entry (tenant_id, account_id, id);
create index ledger_by_ref on ledger_entry (ref_entry_id) where ref_entry_id is not null;
-- One payment per bill number: the database refuses a second even if everything above it failed.
create unique index ledger_payment_bill on ledger_entry (tenant_id, bill_no) where kind = 'PAYMENT';
create index ledger_by_shop_day on ledger_entry (tenant_id, shop_id, created_at);

create function ledger_entry_is_immutable() returns trigger language plpgsql as $$
begin
    raise exception 'ledger entries are immutable: correct with a new, reversing entry';
end $$;
create trigger ledger_entry_immutable before update or delete on ledger_entry
    for each row execute function ledger_entry_is_immutable();

-- Points by when they were earned, spent and expired oldest first. remaining is a cache of the ledger.
create table points_lot (
    id         bigserial   primary key,
    tenant_id  bigint      not null,
    account_id bigint      not null references account (id),
    entry_id   bigint      not null references ledger_entry (id),
    points     bigint      not null check (points > 0),
    remaining  bigint      not null check (remaining >= 0 and remaining <= points),
    expires_at timestamptz
);
create index points_lot_open on points_lot (account_id, expires_at nulls last, id) where remaining > 0;

-- A recharge, with how its money came in, for refunds along the original payment types.
create table recharge (
    id         bigserial     primary key,
    tenant_id  bigint        not null,
    account_id bigint        not null references account (id),
    entry_id   bigint        not null unique references ledger_entry (id),
    code       varchar(64)   collate "C" not null,
    plan_id    bigint,
    pay_money  numeric(12,2) not null,
    give_money numeric(12,2) not null,
    unique (tenant_id, code)
);
create index recharge_by_account on recharge (tenant_id, account_id, id);

create table recharge_payment (
    id           bigserial     primary key,
    recharge_id  bigint        not null references recharge (id),
    payment_type smallint      not null,
    money        numeric(12,2) not null check (money > 0)
);

-- Money paid back by a refund entry, per original payment type (recharge refunds).
create table refund_payment (
    id                  bigserial     primary key,
    tenant_id           bigint        not null,
    entry_id            bigint        not null references ledger_entry (id),
    recharge_payment_id bigint        references recharge_payment (id),
    payment_type        smallint      not null,
    money               numeric(12,2) not null check (money >= 0)
);
create index refund_payment_by_original on refund_payment (recharge_payment_id);

create table recharge_plan (
    id               bigserial     primary key,
    tenant_id        bigint        not null,
    name             varchar(32)   not null,
    money            numeric(12,2) not null,
    pay_money        numeric(12,2) not null,
    give_money       numeric(12,2) not null,
    start_time       timestamptz,
    end_time         timestamptz,
    money_modifiable boolean       not null default false,
    remark           varchar(200)  not null default '',
    in_use           boolean       not null default true,
    created_at       timestamptz   not null default now(),
    updated_at       timestamptz   not null default now()
);
create index recharge_plan_by_tenant on recharge_plan (tenant_id, id);

-- How a tenant's card payments take from actual and bonus money.
create table tenant_setting (
    tenant_id   bigint      primary key,
    split_order varchar(16) not null default 'PROPORTIONAL'
        check (split_order in ('PROPORTIONAL', 'ACTUAL_FIRST', 'GIVE_FIRST'))
);
