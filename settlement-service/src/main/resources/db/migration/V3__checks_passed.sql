-- Whether a close's checks all passed, kept beside its report: getstatus answers it without reading the report.
alter table day_close add column checks_passed boolean;
update day_close set checks_passed = not exists (
    select 1 from jsonb_array_elements(report -> 'checks') c where not (c ->> 'passed')::boolean)
where report is not null;
