package io.membercard.payment.account;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/** Checks that every account of a tenant equals the sum of its ledger entries. */
@ApplicationScoped
public class ReconcileService {
    private static final String[] FIGURES = {"actual_balance", "give_balance", "actual_recharge", "give_recharge",
            "actual_expense", "give_expense", "total_points", "used_points", "expired_points"};

    private final Pool pool;

    public ReconcileService(Pool pool) {
        this.pool = pool;
    }

    public Uni<ReconcileReport> reconcile(long tenantId) {
        StringBuilder sums = new StringBuilder();
        for (String figure : FIGURES) {
            sums.append(", coalesce(sum(e.").append(figure).append("), 0) as l_").append(figure);
        }
        String sql = "select a.*, count(e.id) as entries" + sums + ", (select coalesce(sum(remaining), 0)"
                + " from points_lot p where p.account_id = a.id) as lot_points"
                + " from account a left join ledger_entry e on e.account_id = a.id and e.tenant_id = a.tenant_id"
                + " where a.tenant_id = $1 group by a.id order by a.id";
        return pool.preparedQuery(sql).execute(Tuple.of(tenantId)).map(rows -> {
            List<ReconcileReport.Mismatch> mismatches = new ArrayList<>();
            long accounts = 0;
            long entries = 0;
            for (Row row : rows) {
                accounts++;
                entries += row.getLong("entries");
                long id = row.getLong("id");
                String card = row.getString("card_code");
                for (String figure : FIGURES) {
                    Object own = row.getValue(figure);
                    Object summed = row.getValue("l_" + figure);
                    if (!sameNumber(own, summed)) {
                        mismatches.add(new ReconcileReport.Mismatch(id, card, figure, String.valueOf(own),
                                String.valueOf(summed)));
                    }
                }
                if (row.getLong("version") != row.getLong("entries")) {
                    mismatches.add(new ReconcileReport.Mismatch(id, card, "version", row.getValue("version")
                            .toString(), row.getValue("entries").toString()));
                }
                long actualPoints = row.getLong("total_points") - row.getLong("used_points")
                        - row.getLong("expired_points");
                if (actualPoints != row.getLong("lot_points")) {
                    mismatches.add(new ReconcileReport.Mismatch(id, card, "points_lots", Long.toString(actualPoints),
                            row.getValue("lot_points").toString()));
                }
            }
            return new ReconcileReport(tenantId, accounts, entries, mismatches);
        });
    }

    private static boolean sameNumber(Object a, Object b) {
        if (a instanceof Number x && b instanceof Number y) {
            return new java.math.BigDecimal(x.toString()).compareTo(new java.math.BigDecimal(y.toString())) == 0;
        }
        return Objects.equals(a, b);
    }
}
