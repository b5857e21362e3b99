-- tools/bench reconcile: :accounts accounts of tenant :tenant, each with :entries ledger entries (a recharge of 1.00
-- each), written straight into payment-service's tables, figures equal to their ledgers. Entries are dated two
-- hours back, so that the job's check of recently changed accounts leaves them to the full pass being measured.
set search_path = payment;
-- One transaction: the job never sees the accounts without their entries.
begin;
insert into account (tenant_id, card_id, card_code, actual_balance, actual_recharge, version)
select :tenant, g, 'RB' || g, :entries, :entries, :entries from generate_series(1, :accounts) g;
insert into ledger_entry (tenant_id, account_id, kind, actual_balance, actual_recharge, version_after, user_id,
                          created_at)
select :tenant, a.id, 'RECHARGE', 1.00, 1.00, v, 'bench', now() - interval '2 hours'
from account a cross join generate_series(1, :entries) v where a.tenant_id = :tenant;
commit;
analyze account;
analyze ledger_entry;
