-- tools/bench dayclose: :entries ledger entries of tenant :tenant spread over :shops shops (ids 1..:shops), all of
-- today's business day (Asia/Shanghai, cut-off 00:00), written straight into payment-service's tables with their
-- parts (a recharge of 10.00 by cash for every ten entries, card payments of 1.00 otherwise), accounts equal to their
-- ledgers; and the same entries in settlement-service's record of them (shop_entry; its trigger keeps the running totals by hour),
-- as their events would have put them there. One account per 100 entries; each ten entries in a row (a recharge, then nine payments) are one
-- account's, so that no balance goes below zero.
begin;
set search_path = payment;
create temporary table bench_day as
select (date_trunc('day', now() at time zone 'Asia/Shanghai') at time zone 'Asia/Shanghai') as day_start,
       greatest(now() - interval '1 minute',
                date_trunc('day', now() at time zone 'Asia/Shanghai') at time zone 'Asia/Shanghai'
                    + interval '1 minute') as day_last;
insert into account (tenant_id, card_id, card_code, version)
select :tenant, g, 'DC' || g, 0 from generate_series(1, greatest(:entries / 100, 1)) g;
create temporary table bench_entry as
select g, a.id as account_id, 1 + g % :shops as shop_id,
       case when g % 10 = 0 then 'RECHARGE' else 'PAYMENT' end as kind,
       d.day_start + (d.day_last - d.day_start) * (g::float8 / :entries) as created_at
from generate_series(0, :entries - 1) g
cross join bench_day d
join account a on a.tenant_id = :tenant and a.card_id = 1 + (g / 10) % greatest(:entries / 100, 1);
insert into ledger_entry (id, tenant_id, account_id, kind, bill_no, payment_type, shop_id, actual_balance,
                          actual_recharge, actual_expense, version_after, user_id, created_at)
select nextval('ledger_entry_id_seq'), :tenant, account_id, kind, 'DC' || :tenant || '-' || g,
       case when kind = 'RECHARGE' then 1 else 2 end, shop_id,
       case when kind = 'RECHARGE' then 10.00 else -1.00 end, case when kind = 'RECHARGE' then 10.00 else 0 end,
       case when kind = 'RECHARGE' then 0 else 1.00 end, 1, 'bench', created_at
from bench_entry;
insert into recharge (tenant_id, account_id, entry_id, code, pay_money, give_money)
select tenant_id, account_id, id, bill_no, 10.00, 0 from ledger_entry
where tenant_id = :tenant and kind = 'RECHARGE';
insert into recharge_payment (recharge_id, payment_type, money)
select id, 1, 10.00 from recharge where tenant_id = :tenant;
update account a set actual_balance = s.actual, actual_recharge = s.recharged, actual_expense = s.spent,
       version = s.n
from (select account_id, sum(actual_balance) as actual, sum(actual_recharge) as recharged,
             sum(actual_expense) as spent, count(*) as n
      from ledger_entry where tenant_id = :tenant group by account_id) s
where a.id = s.account_id;
insert into settlement.shop_entry (tenant_id, entry_id, shop_id, kind, bill_no, card_code, payment_type,
       actual_money, give_money, points, used_points, expired_points, tx, created_at)
select e.tenant_id, e.id, e.shop_id, e.kind, e.bill_no, a.card_code, e.payment_type, e.actual_balance,
       e.give_balance, e.total_points, e.used_points, e.expired_points, null,
       date_trunc('second', e.created_at)
from ledger_entry e join account a on a.id = e.account_id where e.tenant_id = :tenant;
commit;
analyze payment.ledger_entry;
analyze payment.recharge;
analyze payment.recharge_payment;
analyze settlement.shop_entry;
