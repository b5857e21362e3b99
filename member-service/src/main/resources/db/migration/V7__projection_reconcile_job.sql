-- The reconciliation of the account figures' copy runs by itself (ProjectionReconcileJob), one instance at a time.
create table projection_reconcile_state (
    id           smallint    primary key check (id = 1),
    leased_until timestamptz,
    lease_owner  varchar(64),
    last_pass_at timestamptz
);
insert into projection_reconcile_state (id) values (1);
