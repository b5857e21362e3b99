-- What payment-service's account.changed events reported, one row per ledger entry: settlement's own record of
-- each shop's day. A close checks it against the ledger (a missed event shows there), and an entry of a closed day
-- that the close's snapshot did not see turns the day to 905.
create table shop_entry (
    tenant_id      bigint        not null,
    entry_id       bigint        not null,
    shop_id        bigint,
    kind           varchar(24)   not null,
    bill_no        varchar(64),
    card_code      varchar(32),
    payment_type   smallint,
    actual_money   numeric(14,2) not null,
    give_money     numeric(14,2) not null,
    points         bigint        not null,
    used_points    bigint        not null,
    expired_points bigint        not null,
    tx             xid8,
    created_at     timestamptz   not null,
    primary key (tenant_id, entry_id)
);
create index shop_entry_by_day on shop_entry (tenant_id, shop_id, created_at);

-- One close of a shop's business day (shop_id null: the tenant's whole day, head office). A close is a job: RUNNING
-- while a runner holds its lease, CLOSED once its report is stored. A re-close is a new version; versions stay.
create table day_close (
    id            bigserial    primary key,
    tenant_id     bigint       not null,
    shop_id       bigint,
    business_date date         not null,
    version       integer      not null check (version > 0),
    state         varchar(8)   not null default 'RUNNING' check (state in ('RUNNING', 'CLOSED')),
    day_start     timestamptz  not null,
    day_end       timestamptz  not null,
    progress      varchar(60)  not null default 'waiting for a runner',
    lease_owner   varchar(40),
    leased_until  timestamptz,
    attempts      integer      not null default 0,
    requested_by  varchar(64)  not null,
    cash_count    jsonb,
    snapshot      pg_snapshot,
    report        jsonb,
    changed       boolean      not null default false,
    started_at    timestamptz  not null default now(),
    closed_at     timestamptz
);
create unique index day_close_version on day_close (tenant_id, coalesce(shop_id, 0), business_date, version);
create index day_close_by_time on day_close (tenant_id, shop_id, day_start);

-- Entries of a closed day that its close did not see: what 905 lists.
create table day_close_change (
    close_id     bigint        not null references day_close (id),
    entry_id     bigint        not null,
    kind         varchar(24)   not null,
    bill_no      varchar(64),
    card_code    varchar(32),
    payment_type smallint,
    actual_money numeric(14,2) not null,
    give_money   numeric(14,2) not null,
    created_at   timestamptz   not null,
    primary key (close_id, entry_id)
);
