-- Reopening: a manager reopens the latest closed day of a shop, with a reason. The close it reopens stays (its
-- report readable), marked REOPENED; the day is 901 again and its next close is the next version. Every reopening is
-- kept in day_close_audit.
alter table day_close drop constraint day_close_state_check;
alter table day_close add constraint day_close_state_check check (state in ('RUNNING', 'CLOSED', 'REOPENED'));

create table day_close_audit (
    id         bigserial    primary key,
    close_id   bigint       not null references day_close (id),
    tenant_id  bigint       not null,
    action     varchar(16)  not null check (action in ('REOPENED')),
    reason     varchar(200) not null,
    user_id    varchar(64)  not null,
    user_name  varchar(64)  not null default '',
    at         timestamptz  not null default now()
);
create index day_close_audit_by_close on day_close_audit (tenant_id, close_id);
