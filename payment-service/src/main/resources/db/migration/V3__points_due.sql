-- The points sweep looks for lots that are due across all accounts.
create index points_lot_due on points_lot (expires_at) where remaining > 0;
