package io.membercard.settlement.dayclose;

import java.time.Instant;
import java.time.LocalDate;

import io.membercard.common.api.StatusCode;
import io.vertx.mutiny.sqlclient.Row;

/** One version of a day close as stored ({@code day_close}); {@code live}: a runner holds it now. */
record CloseRow(long id, long tenantId, Long shopId, LocalDate date, int version, String state, Instant dayStart,
        Instant dayEnd, String progress, boolean live, int attempts, Instant closedAt, boolean changed, String report,
        String cashCount, String snapshot, Boolean checksPassed) {

    static final String COLUMNS = columns("report");

    /** Everything but the report (null): what a status needs. */
    static final String LEAN_COLUMNS = columns("null::jsonb");

    /**
     * Just the parts of the report a list shows (entries, the grand total, whether each check passed), so that a
     * list of a year of days reads little.
     */
    static final String LIST_COLUMNS = columns("""
            jsonb_build_object('entries', report->'entries',
                'totals', jsonb_build_object('grand', report->'totals'->'grand'),
                'checks', (select jsonb_agg(jsonb_build_object('passed', c->'passed'))
                           from jsonb_array_elements(report->'checks') c))""");

    private static String columns(String report) {
        return """
                id, tenant_id, shop_id, business_date, version, state, day_start, day_end, progress,
                coalesce(leased_until > now(), false) as live, attempts, closed_at, changed, (%s)::text as report,
                                cash_count::text as cash_count, snapshot::text as snapshot, checks_passed"""
                .formatted(report);
    }

    static CloseRow of(Row row) {
        return new CloseRow(row.getLong("id"), row.getLong("tenant_id"), row.getLong("shop_id"),
                row.getLocalDate("business_date"), row.getInteger("version"), row.getString("state"),
                row.getOffsetDateTime("day_start").toInstant(), row.getOffsetDateTime("day_end").toInstant(),
                row.getString("progress"), row.getBoolean("live"), row.getInteger("attempts"),
                row.getOffsetDateTime("closed_at") == null ? null : row.getOffsetDateTime("closed_at").toInstant(),
                row.getBoolean("changed"), row.getString("report"), row.getString("cash_count"),
                row.getString("snapshot"), row.getBoolean("checks_passed"));
    }

    boolean closed() {
        return "CLOSED".equals(state);
    }

    boolean reopened() {
        return "REOPENED".equals(state);
    }

    /**
     * 902 while a runner holds it, 903 when its runner died, 904 closed, 905 closed but the ledger changed since, 901
     * once reopened.
     */
    StatusCode status() {
        if (reopened()) {
            return StatusCode.DAY_NOT_CLOSED;
        }
        if (closed()) {
            return changed ? StatusCode.DAY_CLOSE_CHANGED : StatusCode.DAY_CLOSED;
        }
        return live ? StatusCode.DAY_CLOSING : StatusCode.DAY_CLOSE_INTERRUPTED;
    }
}
