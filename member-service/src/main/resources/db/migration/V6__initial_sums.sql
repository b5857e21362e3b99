-- The members' figures summed by the first character of their names and card status: the sumData of a list whose
-- keyword is one character (names starting with it) reads these rows instead of every such member.
create table member_initial_sums (
    tenant_id       bigint        not null,
    initial         varchar(1)    not null,
    card_status     smallint      not null,
    members         bigint        not null default 0,
    actual_balance  numeric(16,2) not null default 0,
    give_balance    numeric(16,2) not null default 0,
    actual_recharge numeric(16,2) not null default 0,
    give_recharge   numeric(16,2) not null default 0,
    actual_expense  numeric(16,2) not null default 0,
    give_expense    numeric(16,2) not null default 0,
    total_points    bigint        not null default 0,
    used_points     bigint        not null default 0,
    actual_points   bigint        not null default 0,
    primary key (tenant_id, initial, card_status)
);

insert into member_initial_sums (tenant_id, initial, card_status, members, actual_balance, give_balance,
                                 actual_recharge, give_recharge, actual_expense, give_expense, total_points,
                                 used_points, actual_points)
select m.tenant_id, left(m.name, 1), m.card_status, count(*), coalesce(sum(p.actual_balance), 0),
       coalesce(sum(p.give_balance), 0), coalesce(sum(p.actual_recharge), 0), coalesce(sum(p.give_recharge), 0),
       coalesce(sum(p.actual_expense), 0), coalesce(sum(p.give_expense), 0), coalesce(sum(p.total_points), 0),
       coalesce(sum(p.used_points), 0), coalesce(sum(p.actual_points), 0)
from member m left join account_projection p on p.tenant_id = m.tenant_id and p.card_id = m.card_id
where m.status = 1
group by m.tenant_id, left(m.name, 1), m.card_status;
