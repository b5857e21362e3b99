-- tools/bench memberlist: :members members of tenant :tenant in member-service's schema, written straight into
-- its tables (with their cards' figures and the kept sums, as member-service keeps them), so that member lists
-- can be measured at scale without enrolling a million members first. Run with psql -v tenant=... -v members=...
set search_path = member;

insert into member_level (tenant_id, name, level, discount)
select :tenant, 'Level ' || l, l, 10 - l * 0.5 from generate_series(1, 5) l;

create temp table seed_levels as
select id, row_number() over (order by id) as n from member_level where tenant_id = :tenant;

insert into member (id, tenant_id, shop_id, status, name, sex, birthday, phone, address, code, level_id, card_id,
                    card_code, card_class_id, card_class_name, card_status, card_send_mode, card_shop_name,
                    card_written_at, card_version, created_at)
select nextval('member_id_seq'), :tenant, 1 + g % 20, 1,
       (array['张','王','李','赵','刘','陈','杨','黄','周','吴'])[1 + g % 10]
           || (array['伟','芳','娜','敏','静','丽','强','磊','军','洋'])[1 + (g / 10) % 10]
           || (array['华','明','红','平','刚','勇','艳','杰','涛','超'])[1 + (g / 100) % 10],
       g % 3, date '1960-01-01' + (g % 15000), '13' || lpad(g::text, 9, '0'), '', 'MB' || lpad(g::text, 10, '0'),
       (select id from seed_levels where n = 1 + g % 5), 900000000000 + g, 'MB' || lpad(g::text, 10, '0'), 1,
       'Gold', case when g % 50 = 0 then 3 when g % 97 = 0 then 4 else 2 end, 1, 'Shop ' || (1 + g % 20),
       now() - make_interval(days => g % 1000), 2, now() - make_interval(mins => g)
from generate_series(1, :members) g;

insert into account_projection (tenant_id, card_id, account_id, version, actual_balance, give_balance,
                                actual_recharge, give_recharge, actual_expense, give_expense, total_points,
                                used_points, actual_points)
select :tenant, 900000000000 + g, g, 3, (g % 500) + 0.25, (g % 50), (g % 500) + 100.25, (g % 50) + 10, 100, 10,
       g % 300, g % 7, g % 300 - g % 7
from generate_series(1, :members) g;

-- The planner must know the tables' new size before joining them.
analyze member;
analyze account_projection;

insert into member_sums (tenant_id, shop_id, level_id, card_status, members, actual_balance, give_balance,
                         actual_recharge, give_recharge, actual_expense, give_expense, total_points, used_points,
                         actual_points)
select m.tenant_id, m.shop_id, coalesce(m.level_id, 0), m.card_status, count(*), sum(p.actual_balance),
       sum(p.give_balance), sum(p.actual_recharge), sum(p.give_recharge), sum(p.actual_expense), sum(p.give_expense),
       sum(p.total_points), sum(p.used_points), sum(p.actual_points)
from member m join account_projection p on p.tenant_id = m.tenant_id and p.card_id = m.card_id
where m.tenant_id = :tenant group by 1, 2, 3, 4;

analyze member_sums;

insert into member_initial_sums (tenant_id, initial, card_status, members, actual_balance, give_balance,
                                 actual_recharge, give_recharge, actual_expense, give_expense, total_points,
                                 used_points, actual_points)
select m.tenant_id, left(m.name, 1), m.card_status, count(*), sum(p.actual_balance), sum(p.give_balance),
       sum(p.actual_recharge), sum(p.give_recharge), sum(p.actual_expense), sum(p.give_expense), sum(p.total_points),
       sum(p.used_points), sum(p.actual_points)
from member m join account_projection p on p.tenant_id = m.tenant_id and p.card_id = m.card_id
where m.tenant_id = :tenant group by 1, 2, 3;

analyze member_initial_sums;
