-- An online recharge refund (S1-26): the part of a recharge refund that goes back through WeChat Pay or Alipay. The
-- refund entry that takes the money off the card commits first, with this row PENDING; only then is the channel
-- called (no lock or transaction open meanwhile). The row's final state comes from the channel's answer, the check job
-- or the channel's notification: SUCCEEDED, or FAILED with a reversal entry that undoes the whole recharge refund.
-- One live row per payment of a recharge, and one refund number per row, the same on every call: a recharge is
-- refunded online once, and the channel pays it once. Only after a FAILED one may another try, under a new number.
create table online_refund (
    id                  bigserial     primary key,
    tenant_id           bigint        not null,
    account_id          bigint        not null references account (id),
    recharge_payment_id bigint        not null references recharge_payment (id),
    entry_id            bigint        not null references ledger_entry (id),
    shop_id             bigint,
    bill_no             varchar(64)   collate "C" not null,
    payment_type        smallint      not null,
    order_no            varchar(64)   collate "C" not null,
    refund_no           varchar(64)   collate "C" not null unique,
    money               numeric(12,2) not null check (money > 0),
    total               numeric(12,2) not null,
    state               varchar(10)   not null default 'PENDING'
        check (state in ('PENDING', 'SUCCEEDED', 'FAILED')),
    channel_status      varchar(200)  not null default '',
    attempts            integer       not null default 0,
    next_check_at       timestamptz   not null default now(),
    reversal_entry_id   bigint        references ledger_entry (id),
    created_at          timestamptz   not null default now(),
    settled_at          timestamptz,
    unique (tenant_id, bill_no)
);
create unique index online_refund_live on online_refund (recharge_payment_id) where state <> 'FAILED';
create index online_refund_due on online_refund (next_check_at) where state = 'PENDING';
create index online_refund_by_account on online_refund (account_id) where state = 'PENDING';

-- A recharge refund undone (its online part not paid back) records minus what it paid back, by the same types.
alter table refund_payment drop constraint refund_payment_money_check;
