-- A day close reads a shop's day by kind: the entries split by payment type (recharges, their refunds, card returns)
-- and those the rules concern are few beside the payments, and found through this index without reading the
-- payments; the payments' inserts do not maintain it. A recharge's parts are found by recharge.
create index ledger_unpaid_by_shop_day on ledger_entry (tenant_id, shop_id, created_at) where kind <> 'PAYMENT';
create index recharge_payment_by_recharge on recharge_payment (recharge_id);
