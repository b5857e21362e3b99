-- A tenant's day-close options (issue 12): its business days' cut-offs (with their history, each from the day it
-- began), automatic closing and what money operations get while a shop's previous day is not closed. Kept whole as
-- JSON (common's DaySettings) and sent to payment-service and settlement-service as tenant.dayclose events, which
-- keep the same table in their own schemas. A tenant without a row has the platform's settings.
create table tenant_day_setting (
    tenant_id  bigint      primary key,
    settings   jsonb       not null,
    decided_at timestamptz not null
);
