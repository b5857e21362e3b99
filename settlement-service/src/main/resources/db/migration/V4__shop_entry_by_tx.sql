-- Entries a close's snapshot did not see were written by transactions at or after its xmin: found through this index
-- when the close is stored, without reading the whole day.
create index shop_entry_by_tx on shop_entry (tenant_id, tx) where tx is not null;
