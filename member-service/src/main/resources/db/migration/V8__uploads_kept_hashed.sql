-- Uploads (S1-37) no longer keep the file: only its rows, with each card secret (卡密) replaced by card-service's
-- hashes of it, and only while an import needs them (deleted when the import ends, or a day after the upload when
-- no import is waiting for it). The files kept until now, card secrets, phones and identity numbers included, are
-- deleted here; a job that had not ended fails, and importing the file again (uploaded again) finishes it without
-- duplicating anything.
alter table import_file alter column content drop not null;
update import_file set content = null where content is not null;
alter table import_file drop column content;
alter table import_file add column staged_rows text,
                        add column row_count   integer not null default 0,
                        add column purged_at   timestamptz;
update import_file set purged_at = now();
-- What the sweep and the end of a job look for.
create index import_file_kept on import_file (created_at) where staged_rows is not null;
create index import_job_by_file on import_job (file_id, status);
