-- card-service schema: card classes, batch card orders, cards.
-- Codes use the "C" collation so that codes of one width order like their numbers (batch ranges, conflicts).

create table card_class (
    id                bigserial   primary key,
    tenant_id         bigint      not null,
    name              varchar(32) not null,
    card_type         smallint    not null,
    can_recharge      boolean     not null default false,
    can_member_price  boolean     not null default false,
    can_discount      boolean     not null default false,
    can_point         boolean     not null default false,
    points_basic      integer     not null default 0,
    points_to_one     integer     not null default 0,
    points_valid_days integer     not null default 0,
    disabled          boolean     not null default false,
    created_at        timestamptz not null default now(),
    updated_at        timestamptz not null default now()
);
create index card_class_by_tenant on card_class (tenant_id, id);

create table batch_order (
    id            bigint      primary key,
    tenant_id     bigint      not null,
    code          varchar(40) collate "C" not null,
    shop_id       bigint      not null,
    shop_name     varchar(64) not null default '',
    card_class_id bigint      not null references card_class (id),
    start_code    varchar(32) collate "C" not null,
    end_code      varchar(32) collate "C" not null,
    current_code  varchar(32) collate "C",
    expect_count  integer     not null check (expect_count > 0),
    create_count  integer     not null check (create_count > 0),
    write_count   integer     not null default 0,
    is_finished   boolean     not null default false,
    user_id       varchar(64) not null,
    user_name     varchar(64) not null default '',
    created_at    timestamptz not null default now(),
    unique (tenant_id, code),
    check (write_count between 0 and create_count),
    check (is_finished = (write_count = create_count))
);
create sequence batch_order_id_seq owned by batch_order.id;
create index batch_order_by_shop on batch_order (tenant_id, shop_id, created_at);
create index batch_order_by_date on batch_order (tenant_id, created_at);

-- status: 1 unwritten, 2 active, 3 lost, 4 void, 5 returned, 6 replaced, 7 expired
-- send_mode: 1 physical, 2 WeChat, 3 offline batch, 4 virtual
create table card (
    id             bigserial   primary key,
    tenant_id      bigint      not null,
    code           varchar(32) collate "C" not null,
    card_class_id  bigint      not null references card_class (id),
    shop_id        bigint      not null,
    shop_name      varchar(64) not null default '',
    status         smallint    not null check (status between 1 and 7),
    send_mode      smallint    not null check (send_mode between 1 and 4),
    batch_order_id bigint      references batch_order (id),
    -- HMAC-SHA256 of the card's MAC under the service's secret key and the tenant; never the MAC itself
    mac_hash       char(64),
    written_at     timestamptz,
    created_at     timestamptz not null default now(),
    unique (tenant_id, code)
);
create unique index card_by_mac on card (tenant_id, mac_hash) where mac_hash is not null;
create index card_by_order on card (batch_order_id, id);
create index card_unwritten_by_order on card (batch_order_id, code) where written_at is null;
