package io.membercard.payment.plan;

import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/** Recharge plans, always within one tenant. */
@ApplicationScoped
public class RechargePlanRepository {

    public Uni<List<RechargePlan>> listInUse(SqlClient client, long tenantId) {
        return client.preparedQuery("select " + RechargePlan.COLUMNS
                + " from recharge_plan where tenant_id = $1 and in_use order by id")
                .execute(Tuple.of(tenantId))
                .map(rows -> {
                    List<RechargePlan> plans = new ArrayList<>();
                    rows.forEach(row -> plans.add(RechargePlan.of(row)));
                    return plans;
                });
    }

    public Uni<RechargePlan> find(SqlClient client, long tenantId, long id) {
        return client.preparedQuery("select " + RechargePlan.COLUMNS
                + " from recharge_plan where tenant_id = $1 and id = $2")
                .execute(Tuple.of(tenantId, id))
                .map(rows -> rows.iterator().hasNext() ? RechargePlan.of(rows.iterator().next()) : null);
    }

    /** Inserts ({@code id} null) or updates the tenant's plan; answers its id, or null if there is no such plan. */
    public Uni<Long> save(SqlClient client, long tenantId, Long id, RechargePlanSave plan,
            java.math.BigDecimal money) {
        Object[] values = {tenantId, plan.name().trim(), money, plan.payMoney(), plan.giveMoney(),
                plan.startTime() == null ? null : plan.startTime().atOffset(ZoneOffset.UTC),
                plan.endTime() == null ? null : plan.endTime().atOffset(ZoneOffset.UTC),
                Boolean.TRUE.equals(plan.moneyModifiable()), plan.remark() == null ? "" : plan.remark(), id};
        String sql = id == null
                ? """
                        insert into recharge_plan (tenant_id, name, money, pay_money, give_money, start_time, end_time,
                                                   money_modifiable, remark)
                        values ($1, $2, $3, $4, $5, $6, $7, $8, $9) returning id"""
                : """
                        update recharge_plan set name = $2, money = $3, pay_money = $4, give_money = $5,
                               start_time = $6, end_time = $7, money_modifiable = $8, remark = $9, updated_at = now()
                        where tenant_id = $1 and id = $10 returning id""";
        Object[] params = id == null ? java.util.Arrays.copyOf(values, 9) : values;
        return client.preparedQuery(sql).execute(Tuple.from(params))
                .map(rows -> rows.iterator().hasNext() ? rows.iterator().next().getLong(0) : null);
    }

    /** Answers whether the tenant had such a plan. */
    public Uni<Boolean> disable(SqlClient client, long tenantId, long id) {
        return client.preparedQuery("""
                update recharge_plan set in_use = false, updated_at = now() where tenant_id = $1 and id = $2""")
                .execute(Tuple.of(tenantId, id))
                .map(rows -> rows.rowCount() == 1);
    }
}
