-- settlement's running totals of its record (issue 12: "settlement's own running totals, kept from payment-service's
-- account events"): per tenant, shop (0: entries of no shop), UTC hour and entry kind. A trigger adds every entry
-- recorded in shop_entry (whoever writes it: an event batch, an older replica during a deploy, a benchmark's seed)
-- in the statement that records it; a repeated event, not inserted, adds nothing. A close sums the hours its day
-- covers whole and reads shop_entry only for the part hours at its ends and for the entries its snapshot did not see.
create table shop_hour_total (
    tenant_id      bigint      not null,
    shop_key       bigint      not null,
    hour           timestamp   not null,
    kind           varchar(24) not null,
    count          bigint      not null,
    actual_money   numeric     not null,
    give_money     numeric     not null,
    points         bigint      not null,
    used_points    bigint      not null,
    expired_points bigint      not null,
    primary key (tenant_id, shop_key, hour, kind)
);

create function shop_hour_total_add() returns trigger language plpgsql as $$
begin
    -- Hours in key order, so that two statements at once never wait on each other's rows crosswise.
    insert into shop_hour_total (tenant_id, shop_key, hour, kind, count, actual_money, give_money, points,
           used_points, expired_points)
    select tenant_id, coalesce(shop_id, 0), date_trunc('hour', created_at at time zone 'UTC'), kind, count(*),
           sum(actual_money), sum(give_money), sum(points), sum(used_points), sum(expired_points)
    from recorded group by 1, 2, 3, 4 order by 1, 2, 3, 4
    on conflict (tenant_id, shop_key, hour, kind) do update
    set count = shop_hour_total.count + excluded.count,
        actual_money = shop_hour_total.actual_money + excluded.actual_money,
        give_money = shop_hour_total.give_money + excluded.give_money,
        points = shop_hour_total.points + excluded.points,
        used_points = shop_hour_total.used_points + excluded.used_points,
        expired_points = shop_hour_total.expired_points + excluded.expired_points;
    return null;
end $$;

-- No entry is recorded between the trigger's start and the totals of what was there before (this migration's
-- transaction holds the lock until it commits).
lock table shop_entry in share row exclusive mode;

create trigger shop_entry_adds_to_hour_totals after insert on shop_entry
    referencing new table as recorded for each statement execute function shop_hour_total_add();

insert into shop_hour_total (tenant_id, shop_key, hour, kind, count, actual_money, give_money, points, used_points,
       expired_points)
select tenant_id, coalesce(shop_id, 0), date_trunc('hour', created_at at time zone 'UTC'), kind, count(*),
       sum(actual_money), sum(give_money), sum(points), sum(used_points), sum(expired_points)
from shop_entry
group by 1, 2, 3, 4;
