-- Issue 10: an upload's rows are kept in chunks of 1000 (import_chunk), written as the file is read and read back one
-- chunk at a time by the import, so neither holds a whole file in memory. An upload is "ready" once every chunk is
-- written (a failed one is discarded, or swept). A job works one chunk per turn (next_chunk), then hands over to the
-- tenant whose turn is oldest (import_turn), and only the runner that took it (runner) can record its chunk.

create table import_chunk (
    file_id   uuid    not null references import_file (id),
    chunk_no  integer not null,
    row_count integer not null,
    rows      text    not null,
    primary key (file_id, chunk_no)
);
insert into import_chunk (file_id, chunk_no, row_count, rows)
select id, 0, row_count, staged_rows from import_file where staged_rows is not null;

alter table import_file add column ready  boolean not null default true,
                        add column chunks integer not null default 0;
update import_file set chunks = 1 where staged_rows is not null;
update import_file set purged_at = coalesce(purged_at, now()) where staged_rows is null;
drop index import_file_kept;
alter table import_file drop column staged_rows;
create index import_file_kept on import_file (created_at) where purged_at is null;

alter table import_job add column next_chunk integer not null default 0,
                       add column served_at  timestamptz,
                       add column runner     uuid;
-- A job that had not ended starts its (single-chunk) upload again from its first row: the rows it enrolled before are
-- found, not duplicated; its counts start again with them.
delete from import_rejection r using import_job j
where r.job_id = j.id and j.status in ('QUEUED', 'RUNNING');
update import_job set processed = 0, created = 0, existing = 0, rejected = 0, lease_until = null
where status in ('QUEUED', 'RUNNING');

create table import_turn (
    tenant_id bigint      primary key,
    served_at timestamptz not null
);
