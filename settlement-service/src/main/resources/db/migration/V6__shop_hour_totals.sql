-- settlement's running totals of its record (issue 12: "settlement's own running totals, kept from payment-service's
-- account events"): per tenant, shop (0: entries of no shop), UTC hour and entry kind, added to as each event's entry
-- is recorded in shop_entry, in the same statement. A close sums the hours its day covers whole, reads shop_entry
-- only for the part hours at its ends and for the entries its snapshot did not see, instead of every entry again.
create table shop_hour_total (
    tenant_id      bigint        not null,
    shop_key       bigint        not null,
    hour           timestamp     not null,
    kind           varchar(24)   not null,
    count          bigint        not null,
    actual_money   numeric(16,2) not null,
    give_money     numeric(16,2) not null,
    points         bigint        not null,
    used_points    bigint        not null,
    expired_points bigint        not null,
    primary key (tenant_id, shop_key, hour, kind)
);

insert into shop_hour_total (tenant_id, shop_key, hour, kind, count, actual_money, give_money, points, used_points,
       expired_points)
select tenant_id, coalesce(shop_id, 0), date_trunc('hour', created_at at time zone 'UTC'), kind, count(*),
       sum(actual_money), sum(give_money), sum(points), sum(used_points), sum(expired_points)
from shop_entry
group by 1, 2, 3, 4;
