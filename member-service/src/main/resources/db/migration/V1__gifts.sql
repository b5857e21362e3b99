-- member-service schema. Gifts members can take for points (S1-12).
create table gift (
    id         bigserial     primary key,
    tenant_id  bigint        not null,
    name       varchar(32)   not null,
    points     bigint        not null check (points > 0),
    price      numeric(12,2) not null default 0,
    image_path varchar(200)  not null default '',
    in_use     boolean       not null default true,
    created_at timestamptz   not null default now(),
    updated_at timestamptz   not null default now()
);
create index gift_by_tenant on gift (tenant_id, id);
