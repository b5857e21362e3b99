-- Member import (S1-37): uploaded files, import jobs with their progress, and the rows they refused.

create table import_file (
    id         uuid         primary key,
    tenant_id  bigint       not null,
    name       varchar(200) not null,
    size       integer      not null,
    sha256     char(64)     not null,
    content    bytea        not null,
    user_id    varchar(64)  not null,
    created_at timestamptz  not null default now()
);
create index import_file_by_tenant on import_file (tenant_id, created_at);

-- status: QUEUED, RUNNING (lease_until: the instance running it), DONE, FAILED (run the file again to finish it)
create table import_job (
    id            bigserial    primary key,
    tenant_id     bigint       not null,
    file_id       uuid         not null references import_file (id),
    file_name     varchar(200) not null,
    sha256        char(64)     not null,
    shop_id       bigint       not null,
    shop_name     varchar(64)  not null default '',
    card_class_id bigint       not null,
    level_id      bigint,
    status        varchar(16)  not null check (status in ('QUEUED', 'RUNNING', 'DONE', 'FAILED')),
    total         integer      not null default 0,
    processed     integer      not null default 0,
    created       integer      not null default 0,
    existing      integer      not null default 0,
    rejected      integer      not null default 0,
    error         varchar(300),
    lease_until   timestamptz,
    user_id       varchar(64)  not null,
    user_name     varchar(64)  not null default '',
    created_at    timestamptz  not null default now(),
    started_at    timestamptz,
    finished_at   timestamptz
);
create index import_job_by_tenant on import_job (tenant_id, id);
create index import_job_open on import_job (id) where status in ('QUEUED', 'RUNNING');
-- One run of a file at a time (with the same shop, class and level): a second start finds the running one.
create unique index import_job_running on import_job (tenant_id, sha256, shop_id, card_class_id, coalesce(level_id, 0))
    where status in ('QUEUED', 'RUNNING');

create table import_rejection (
    job_id bigint       not null references import_job (id),
    row_no integer      not null,
    reason varchar(300) not null,
    primary key (job_id, row_no)
);
