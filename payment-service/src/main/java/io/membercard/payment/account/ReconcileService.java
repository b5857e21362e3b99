package io.membercard.payment.account;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Checks accounts against their ledgers, a page at a time: each figure against the sum of its entries, the version
 * against their number, the actual points against the open points lots. {@link ReconcileJob} runs it over every
 * account; the admin endpoint reads what it found.
 */
@ApplicationScoped
public class ReconcileService {
    static final String[] FIGURES = {"actual_balance", "give_balance", "actual_recharge", "give_recharge",
            "actual_expense", "give_expense", "total_points", "used_points", "expired_points"};
    private static final String CHECK;

    static {
        StringBuilder sums = new StringBuilder();
        for (String figure : FIGURES) {
            sums.append(", coalesce(e.").append(figure).append(", 0) as l_").append(figure);
        }
        StringBuilder summed = new StringBuilder();
        for (String figure : FIGURES) {
            summed.append(", sum(").append(figure).append(") as ").append(figure);
        }
        CHECK = "select a.id, a.tenant_id, a.card_code, a.actual_balance, a.give_balance, a.actual_recharge,"
                + " a.give_recharge, a.actual_expense, a.give_expense, a.total_points, a.used_points,"
                + " a.expired_points, a.version, coalesce(e.n, 0) as entries" + sums
                + ", coalesce(l.points, 0) as lot_points from account a"
                + " left join lateral (select count(*) as n" + summed + " from ledger_entry x"
                + " where x.tenant_id = a.tenant_id and x.account_id = a.id) e on true"
                + " left join lateral (select sum(remaining) as points from points_lot p"
                + " where p.account_id = a.id and p.remaining > 0) l on true";
    }

    /** How many mismatches a report lists at most (a broken tenant must not take the service down). */
    static final int LISTED = 1000;

    private final Pool pool;

    public ReconcileService(Pool pool) {
        this.pool = pool;
    }

    /** What a check of some accounts found: how many accounts and entries it read, and the mismatches. */
    public record Checked(List<Long> accountIds, List<Long> tenantIds, List<Long> entries,
            List<ReconcileReport.Mismatch> mismatches, List<Long> mismatchTenants) {
    }

    /** The accounts after {@code afterId} in id order, up to {@code limit}. */
    Uni<Checked> checkPage(SqlClient client, long afterId, int limit) {
        return client.preparedQuery(CHECK + " where a.id > $1 order by a.id limit $2")
                .execute(Tuple.of(afterId, limit)).map(ReconcileService::check);
    }

    /** The accounts {@code ids}. */
    Uni<Checked> checkAccounts(SqlClient client, Long[] ids) {
        return client.preparedQuery(CHECK + " where a.id = any($1) order by a.id")
                .execute(Tuple.of((Object) ids)).map(ReconcileService::check);
    }

    private static Checked check(RowSet<Row> rows) {
        List<Long> ids = new ArrayList<>();
        List<Long> tenants = new ArrayList<>();
        List<Long> entries = new ArrayList<>();
        List<ReconcileReport.Mismatch> mismatches = new ArrayList<>();
        List<Long> mismatchTenants = new ArrayList<>();
        Instant now = Instant.now();
        for (Row row : rows) {
            long id = row.getLong("id");
            long tenant = row.getLong("tenant_id");
            ids.add(id);
            tenants.add(tenant);
            long count = row.getLong("entries");
            entries.add(count);
            String card = row.getString("card_code");
            List<ReconcileReport.Mismatch> found = new ArrayList<>();
            for (String figure : FIGURES) {
                BigDecimal own = new BigDecimal(row.getValue(figure).toString());
                BigDecimal summed = new BigDecimal(row.getValue("l_" + figure).toString());
                if (own.compareTo(summed) != 0) {
                    found.add(new ReconcileReport.Mismatch(id, card, figure, own.toPlainString(),
                            summed.toPlainString(), now));
                }
            }
            long version = row.getLong("version");
            if (version != count) {
                found.add(new ReconcileReport.Mismatch(id, card, "version", Long.toString(version),
                        Long.toString(count), now));
            }
            long actualPoints = row.getLong("total_points") - row.getLong("used_points")
                    - row.getLong("expired_points");
            long lotPoints = row.getLong("lot_points");
            if (actualPoints != lotPoints) {
                found.add(new ReconcileReport.Mismatch(id, card, "points_lots", Long.toString(actualPoints),
                        Long.toString(lotPoints), now));
            }
            mismatches.addAll(found);
            found.forEach(m -> mismatchTenants.add(tenant));
        }
        return new Checked(ids, tenants, entries, mismatches, mismatchTenants);
    }

    /** What the job found of {@code tenantId}, at once: the first {@value #LISTED} mismatches, and how many in all. */
    public Uni<ReconcileReport> report(long tenantId) {
        return pool.preparedQuery("""
                select (select accounts from reconcile_tenant where tenant_id = $1) as accounts,
                       (select entries from reconcile_tenant where tenant_id = $1) as entries,
                       (select checked_at from reconcile_tenant where tenant_id = $1) as checked_at,
                       (select last_full_pass_at from reconcile_state where id = 1) as last_full_pass_at,
                       (select count(*) from reconcile_mismatch where tenant_id = $1) as mismatch_count""")
                .execute(Tuple.of(tenantId))
                .flatMap(head -> pool.preparedQuery("""
                        select account_id, card_code, figure, account_value, ledger_value, found_at
                        from reconcile_mismatch where tenant_id = $1 order by account_id, figure limit $2""")
                        .execute(Tuple.of(tenantId, LISTED))
                        .map(rows -> {
                            List<ReconcileReport.Mismatch> mismatches = new ArrayList<>();
                            for (Row row : rows) {
                                mismatches.add(new ReconcileReport.Mismatch(row.getLong("account_id"),
                                        row.getString("card_code"), row.getString("figure"),
                                        row.getString("account_value"), row.getString("ledger_value"),
                                        instant(row.getOffsetDateTime("found_at"))));
                            }
                            Row h = head.iterator().next();
                            return new ReconcileReport(tenantId, orZero(h.getLong("accounts")),
                                    orZero(h.getLong("entries")), instant(h.getOffsetDateTime("checked_at")),
                                    instant(h.getOffsetDateTime("last_full_pass_at")), h.getLong("mismatch_count"),
                                    mismatches);
                        }));
    }

    private static long orZero(Long value) {
        return value == null ? 0 : value;
    }

    private static Instant instant(OffsetDateTime at) {
        return at == null ? null : at.toInstant();
    }
}
