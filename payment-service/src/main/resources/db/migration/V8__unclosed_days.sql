-- What a shop's money operations get while its previous business day is not closed (issue 12, item 7).
-- The tenants' day-close settings, kept from member-service's tenant.dayclose events (common's DaySettings).
create table tenant_day_setting (
    tenant_id  bigint      primary key,
    settings   jsonb       not null,
    decided_at timestamptz not null
);

-- Each shop-day's close state as settlement-service sends it (day.state events): closed (a version is closed, none
-- reopened since), allowed (a manager let the shop trade on). The newest revision wins. A shop-day without a row has
-- not been closed.
create table shop_day_state (
    tenant_id     bigint  not null,
    shop_id       bigint  not null,
    business_date date    not null,
    closed        boolean not null,
    allowed       boolean not null,
    revision      bigint  not null,
    primary key (tenant_id, shop_id, business_date)
);
