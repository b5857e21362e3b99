-- A migration whose copies are being undone is ABORTING until card-service has undone them (then ABORTED) or could
-- not (then FAILED, to be run again). While it is, no other migration of the shop may start, so that going back to
-- FAILED never meets another open one.
alter table migration drop constraint migration_state_check;
alter table migration add constraint migration_state_check
    check (state in ('DRY_RUN', 'RUNNING', 'DONE', 'FAILED', 'ABORTING', 'ABORTED'));
drop index migration_open;
create unique index migration_open on migration (from_tenant_id, to_tenant_id, shop_id)
    where state in ('RUNNING', 'FAILED', 'ABORTING');
