package io.membercard.member;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/** Checks that a tenant's kept sums equal its members' figures counted again. */
final class KeptSums {

    private static final String FIGURES = "members, actual_balance, give_balance, actual_recharge, give_recharge,"
            + " actual_expense, give_expense, total_points, used_points, actual_points";

    private KeptSums() {
    }

    /** member_sums (by shop, level and card status) and member_initial_sums (by initial and card status). */
    static void assertKept(Pool pool, long tenant) {
        assertThat(drift(pool, "member_sums", "shop_id, level_id, card_status",
                "m.shop_id, coalesce(m.level_id, 0), m.card_status", tenant)).as("member_sums rows off").isZero();
        assertThat(drift(pool, "member_initial_sums", "initial, card_status", "left(m.name, 1), m.card_status",
                tenant)).as("member_initial_sums rows off").isZero();
    }

    /** How many of the tenant's rows of {@code table} differ from a recount (rows of all zeros left aside). */
    private static long drift(Pool pool, String table, String keys, String recountKeys, long tenant) {
        String sql = "with kept as (select " + keys + ", " + FIGURES + " from " + table + " where tenant_id = $1"
                + " and (" + FIGURES + ") <> (0, 0, 0, 0, 0, 0, 0, 0, 0, 0)), counted as (select " + recountKeys
                + ", count(*), coalesce(sum(p.actual_balance), 0), coalesce(sum(p.give_balance), 0),"
                + " coalesce(sum(p.actual_recharge), 0), coalesce(sum(p.give_recharge), 0),"
                + " coalesce(sum(p.actual_expense), 0), coalesce(sum(p.give_expense), 0),"
                + " coalesce(sum(p.total_points), 0), coalesce(sum(p.used_points), 0),"
                + " coalesce(sum(p.actual_points), 0) from member m left join account_projection p"
                + " on p.tenant_id = m.tenant_id and p.card_id = m.card_id where m.tenant_id = $1 and m.status = 1"
                + " group by " + recountKeys + ") select count(*) from ((select * from kept except select * from"
                + " counted) union all (select * from counted except select * from kept)) d";
        return pool.preparedQuery(sql).execute(Tuple.of(tenant)).await().indefinitely().iterator().next().getLong(0);
    }
}
