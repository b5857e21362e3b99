-- Members (S1-00 to S1-06, S1-18, S1-19), their levels (S1-11) and tags (S1-10), the tenant's switches (S1-14,
-- S1-15), and member-service's own copy of what it shows of cards and accounts (fed by card-service's and
-- payment-service's events; member-service never reads their tables).

create extension if not exists pg_trgm;

create table member_level (
    id         bigserial    primary key,
    tenant_id  bigint       not null,
    name       varchar(32)  not null,
    level      integer      not null,
    -- 折扣 as tills show it: 9.5 means 95 %, 10 no discount
    discount   numeric(4,2) not null check (discount > 0 and discount <= 10),
    image_path varchar(200) not null default '',
    in_use     boolean      not null default true,
    created_at timestamptz  not null default now(),
    updated_at timestamptz  not null default now()
);
create index member_level_by_tenant on member_level (tenant_id, id);

create table member_tag (
    id         bigserial    primary key,
    tenant_id  bigint       not null,
    name       varchar(32)  not null,
    in_use     boolean      not null default true,
    created_at timestamptz  not null default now(),
    updated_at timestamptz  not null default now()
);
create index member_tag_by_tenant on member_tag (tenant_id, id);

-- key: 1 card payments need the card password, 2 pay from paid-in money first, 3 pay from bonus first
create table tenant_setting (
    tenant_id  bigint      not null,
    key        smallint    not null check (key between 1 and 3),
    value      boolean     not null,
    updated_at timestamptz not null default now(),
    primary key (tenant_id, key)
);

-- status: 0 being created (not shown yet), 1 a member, 2 moved to another tenant (shop migration)
create table member (
    id              bigint       primary key,
    tenant_id       bigint       not null,
    shop_id         bigint       not null,
    status          smallint     not null default 0 check (status between 0 and 2),
    name            varchar(32)  not null,
    sex             smallint     not null default 2 check (sex between 0 and 2),
    birthday        date,
    phone           varchar(20),
    id_card         varchar(18),
    address         varchar(200) not null default '',
    code            varchar(32)  not null default '',
    level_id        bigint       references member_level (id),
    tag_ids         bigint[]     not null default '{}',
    -- the member's card as card-service last told it (card.changed events, or the answer that issued it)
    card_id         bigint,
    card_code       varchar(32)  collate "C",
    card_class_id   bigint,
    card_class_name varchar(32)  not null default '',
    card_status     smallint     not null default 0,
    card_send_mode  smallint     not null default 0,
    card_shop_name  varchar(64)  not null default '',
    card_written_at timestamptz,
    card_version    bigint       not null default 0,
    -- where the member came from when it was not typed in: an import row, a partner's card, a migration
    source_key      varchar(100) collate "C",
    created_at      timestamptz  not null default now(),
    updated_at      timestamptz  not null default now()
);
create sequence member_id_seq owned by member.id;
create unique index member_by_card on member (tenant_id, card_id) where card_id is not null and status < 2;
create unique index member_by_phone on member (tenant_id, phone) where phone is not null and status < 2;
create unique index member_by_source on member (tenant_id, source_key) where source_key is not null;
create index member_list on member (tenant_id, id) where status = 1;
create index member_by_shop on member (tenant_id, shop_id, id) where status = 1;
create index member_by_level on member (tenant_id, level_id, id) where status = 1;
create index member_by_class on member (tenant_id, card_class_id, id) where status = 1;
create index member_by_date on member (tenant_id, created_at) where status = 1;
create index member_pending on member (created_at) where status = 0;
-- keyword search: any part of the name, phone or card code
create index member_keyword on member using gin ((name || ' ' || coalesce(phone, '') || ' ' || coalesce(card_code, ''))
    gin_trgm_ops) where status = 1;

-- A card's account figures as payment-service last told them (account.changed, account.points-expiry).
create table account_projection (
    tenant_id          bigint        not null,
    card_id            bigint        not null,
    account_id         bigint        not null,
    version            bigint        not null,
    actual_balance     numeric(12,2) not null default 0,
    give_balance       numeric(12,2) not null default 0,
    actual_recharge    numeric(14,2) not null default 0,
    give_recharge      numeric(14,2) not null default 0,
    actual_expense     numeric(14,2) not null default 0,
    give_expense       numeric(14,2) not null default 0,
    total_points       bigint        not null default 0,
    used_points        bigint        not null default 0,
    actual_points      bigint        not null default 0,
    points_disabled_at timestamptz,
    points_version     bigint        not null default 0,
    primary key (tenant_id, card_id)
);

-- The members' figures summed by shop, level and card status, kept with every change: sumData of a list with
-- those filters comes from here instead of from a million rows.
create table member_sums (
    tenant_id       bigint        not null,
    shop_id         bigint        not null,
    level_id        bigint        not null,
    card_status     smallint      not null,
    members         bigint        not null default 0,
    actual_balance  numeric(16,2) not null default 0,
    give_balance    numeric(16,2) not null default 0,
    actual_recharge numeric(16,2) not null default 0,
    give_recharge   numeric(16,2) not null default 0,
    actual_expense  numeric(16,2) not null default 0,
    give_expense    numeric(16,2) not null default 0,
    total_points    bigint        not null default 0,
    used_points     bigint        not null default 0,
    actual_points   bigint        not null default 0,
    primary key (tenant_id, shop_id, level_id, card_status)
);
