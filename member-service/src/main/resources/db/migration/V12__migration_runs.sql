-- Each run of a migration (the first, and each one that takes it up again) has its own id: a run that another run
-- took over records nothing more and undoes nothing (MigrationService).
alter table migration add column run uuid;
