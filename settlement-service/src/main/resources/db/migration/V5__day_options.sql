-- The tenants' day-close options (issue 12, item 7), kept from member-service's tenant.dayclose events (common's
-- DaySettings): cut-offs, automatic close, what a shop's money operations get while its previous day is not closed.
create table tenant_day_setting (
    tenant_id  bigint      primary key,
    settings   jsonb       not null,
    decided_at timestamptz not null
);

-- A manager lets a shop trade on while one of its days is not closed (unclosedDay = block), with a reason: kept as
-- the audit, and sent to payment-service with the day's state.
create table day_allow (
    tenant_id     bigint       not null,
    shop_id       bigint       not null,
    business_date date         not null,
    reason        varchar(200) not null,
    user_id       varchar(64)  not null,
    user_name     varchar(64)  not null default '',
    at            timestamptz  not null default now(),
    primary key (tenant_id, shop_id, business_date)
);

-- Each shop-day state sent to payment-service (day.state events) carries a revision from here: the newest wins.
create sequence day_state_revision;

-- The automatic close: one replica at a time (common's JobLease on row 1).
create table auto_close_state (
    id           smallint    primary key check (id = 1),
    lease_owner  varchar(64),
    leased_until timestamptz,
    last_pass_at timestamptz
);
insert into auto_close_state (id) values (1);

-- Tenant-days the automatic close has finished (every shop with entries closed, then the head office): not looked
-- at again.
create table auto_close_day (
    tenant_id     bigint      not null,
    business_date date        not null,
    done_at       timestamptz not null default now(),
    primary key (tenant_id, business_date)
);
