-- Which other tenants' ids salted the MAC hashes of a tenant's cards (cards migrated in keep their hashes): a MAC
-- read at the till is hashed under each, found by one index read instead of a scan of the tenant's cards.
create table card_mac_salt (
    tenant_id      bigint not null,
    salt_tenant_id bigint not null,
    primary key (tenant_id, salt_tenant_id)
);

insert into card_mac_salt (tenant_id, salt_tenant_id)
select distinct tenant_id, mac_salt_tenant_id from card where mac_salt_tenant_id is not null;
