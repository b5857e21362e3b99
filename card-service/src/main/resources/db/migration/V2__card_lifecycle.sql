-- Card lifecycle (lost, found, replace, void, return, rewrite), members' cards, partner issuing and shop migration.

alter table card
    -- the member the card belongs to (member-service's id); one card per member
    add column member_id          bigint,
    -- counts the card's changes; events carry it so that receivers keep the newest state
    add column version            bigint      not null default 1,
    -- an offline card's validity (seed 003 expirydate); a card past it is expired (7)
    add column expires_at         timestamptz,
    -- the tenant whose id salted mac_hash, when it is not tenant_id (a card migrated from another tenant)
    add column mac_salt_tenant_id bigint,
    -- the replacement or return running on the card: until it ends, the card cannot be used
    add column busy_operation_id  bigint,
    -- the key under which the card was issued to a member (import row, partner card): a repeat finds the card
    add column issue_key          varchar(100) collate "C",
    add column updated_at         timestamptz not null default now();
create unique index card_by_member on card (tenant_id, member_id) where member_id is not null;
create unique index card_by_issue_key on card (tenant_id, issue_key) where issue_key is not null;
create index card_by_shop on card (tenant_id, shop_id, id);

-- Codes the service makes up (virtual cards, partner type 15): 12 digits from this sequence.
create sequence generated_card_code_seq start 1;

-- Replacements and returns: the account side runs in payment-service, so the card side records where it stands.
-- state: STARTED (cards busy), DONE, FAILED (nothing changed).
create table card_operation (
    id              bigserial    primary key,
    tenant_id       bigint       not null,
    kind            varchar(16)  not null check (kind in ('REPLACE', 'RETURN')),
    state           varchar(16)  not null check (state in ('STARTED', 'DONE', 'FAILED')),
    card_id         bigint       not null references card (id),
    new_card_id     bigint       references card (id),
    -- what finishing needs (payment type, new card's MAC hash, timestamp): never a MAC itself
    request         text         not null,
    request_hash    char(64)     not null,
    result          text,
    error           varchar(300),
    attempts        integer      not null default 0,
    next_attempt_at timestamptz  not null default now(),
    shop_id         bigint,
    user_id         varchar(64)  not null,
    user_name       varchar(64)  not null default '',
    created_at      timestamptz  not null default now(),
    updated_at      timestamptz  not null default now()
);
create index card_operation_by_card on card_operation (tenant_id, card_id, id);
create index card_operation_unfinished on card_operation (next_attempt_at) where state = 'STARTED';

-- What happened to a card, and who did it.
create table card_log (
    id         bigserial    primary key,
    tenant_id  bigint       not null,
    card_id    bigint       not null references card (id),
    action     varchar(16)  not null,
    remark     varchar(200) not null default '',
    user_id    varchar(64)  not null,
    user_name  varchar(64)  not null default '',
    created_at timestamptz  not null default now()
);
create index card_log_by_card on card_log (tenant_id, card_id, id);

-- Partners that issue cards through the open protocol (seed 003). The secret signs their requests, so it is kept
-- encrypted (AES-GCM under the card secret key), never hashed.
create table partner (
    id          varchar(32)  collate "C" primary key,
    tenant_id   bigint       not null,
    name        varchar(64)  not null,
    shop_id     bigint       not null,
    shop_name   varchar(64)  not null default '',
    card_class_id bigint     not null references card_class (id),
    secret      text         not null,
    disabled    boolean      not null default false,
    created_at  timestamptz  not null default now()
);
create index partner_by_tenant on partner (tenant_id);

-- Nonces of partner requests seen within their validity: a replayed request is refused.
create table partner_nonce (
    partner_id varchar(32)  collate "C" not null,
    nonce      varchar(64)  collate "C" not null,
    expires_at timestamptz  not null,
    primary key (partner_id, nonce)
);
create index partner_nonce_expiry on partner_nonce (expires_at);

-- Cards copied to another tenant by a shop migration (S1-39): each old card and its copy.
create table card_migration (
    migration_id varchar(64)  collate "C" not null,
    from_tenant_id bigint     not null,
    from_card_id bigint       not null references card (id),
    to_tenant_id bigint       not null,
    to_card_id   bigint       not null references card (id),
    finished     boolean      not null default false,
    primary key (migration_id, from_card_id)
);
