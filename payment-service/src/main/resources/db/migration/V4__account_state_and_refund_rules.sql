-- An account's state, fenced under its row lock on every change: OPEN takes postings; CLOSED (its card returned)
-- and MOVED (its money went to account moved_to_account_id: a shop migration, or, for a tombstone left on a replaced
-- card, the account that now serves the new card) take none. Money can no longer land on a dead card because
-- card-service vouched for it a moment before it died.
alter table account add column state varchar(8) not null default 'OPEN'
    check (state in ('OPEN', 'CLOSED', 'MOVED'));
alter table account add column moved_to_account_id bigint references account (id);
update account a set state = 'CLOSED'
where exists (select 1 from ledger_entry e where e.account_id = a.id and e.kind = 'CARD_RETURN');
update account a set state = 'MOVED', moved_to_account_id = m.to_account_id
from account_migration m where m.from_account_id = a.id;

-- Bonus a recharge refund charged to the customer's own money: it takes the bonus back from the payments that spent
-- it, so that refunding one of those payments later gives back the customer's money, never the refunded recharge's
-- bonus.
create table bonus_charge (
    id               bigserial     primary key,
    tenant_id        bigint        not null,
    payment_entry_id bigint        not null references ledger_entry (id),
    refund_entry_id  bigint        not null references ledger_entry (id),
    amount           numeric(12,2) not null check (amount > 0)
);
create index bonus_charge_by_payment on bonus_charge (payment_entry_id);

-- Payments made with a pay code (S1-24): only these can be refunded by order number alone (S1-25). A code pays once
-- per tenant, whatever happened in Redis. Payments made before this change are not told apart (a remark can say
-- anything): they are refunded with their card (S1-23).
create table pay_code_payment (
    entry_id  bigint      primary key references ledger_entry (id),
    tenant_id bigint      not null,
    pay_code  varchar(18) not null,
    unique (tenant_id, pay_code)
);

-- A plan's money is the principal, as the contract reads S1-13 and S1-28 ("pay payMoney, get money + giveMoney"):
-- money = payMoney. It was kept as payMoney + giveMoney.
update recharge_plan set money = pay_money;

-- When a tenant's payment order was decided, so that a settings event delivered late never undoes a newer one.
alter table tenant_setting add column decided_at timestamptz;
