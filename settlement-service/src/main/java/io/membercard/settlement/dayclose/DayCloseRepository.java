package io.membercard.settlement.dayclose;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.membercard.common.days.BusinessDay;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;

/** Day closes, their changes and settlement's record of the ledger's entries. Every query takes the tenant. */
@ApplicationScoped
public class DayCloseRepository {
    /** The close's shop ($2), or the tenant's whole day when $2 is null. */
    private static final String SHOP = " coalesce(shop_id, 0) = coalesce($2::bigint, 0) ";

    private final Pool pool;
    private final DayStates states;

    public DayCloseRepository(Pool pool, DayStates states) {
        this.pool = pool;
        this.states = states;
    }

    /** The newest version of the day's close, without its report. */
    public Uni<Optional<CloseRow>> latest(long tenantId, Long shopId, LocalDate date) {
        return latest(tenantId, shopId, date, CloseRow.LEAN_COLUMNS);
    }

    /** The newest version of the day's close, with its report. */
    public Uni<Optional<CloseRow>> latestWithReport(long tenantId, Long shopId, LocalDate date) {
        return latest(tenantId, shopId, date, CloseRow.COLUMNS);
    }

    private Uni<Optional<CloseRow>> latest(long tenantId, Long shopId, LocalDate date, String columns) {
        return pool.preparedQuery("select " + columns + " from day_close where tenant_id = $1 and" + SHOP
                + "and business_date = $3 order by version desc limit 1")
                .execute(Tuple.of(tenantId, shopId, date)).map(DayCloseRepository::first);
    }

    public Uni<Optional<CloseRow>> version(long tenantId, Long shopId, LocalDate date, int version) {
        return pool.preparedQuery("select " + CloseRow.COLUMNS + " from day_close where tenant_id = $1 and" + SHOP
                + "and business_date = $3 and version = $4")
                .execute(Tuple.of(tenantId, shopId, date, version)).map(DayCloseRepository::first);
    }

    /**
    * The newest version of each day in {@code [from, to]} that has a close, newest day first (a span is at most 366
    * days: the caller pages and sums them).
    */
    public Uni<List<CloseRow>> list(long tenantId, Long shopId, LocalDate from, LocalDate to) {
        return pool.preparedQuery("select " + CloseRow.LIST_COLUMNS + " " + """
                from (select distinct on (business_date) * from day_close
                      where tenant_id = $1 and""" + SHOP + """
                and business_date between $3 and $4
                      order by business_date, version desc) d
                               order by business_date desc""")
                .execute(Tuple.of(tenantId, shopId, from, to))
                .map(rows -> {
                    List<CloseRow> closes = new ArrayList<>();
                    for (Row row : rows) {
                        closes.add(CloseRow.of(row));
                    }
                    return closes;
                });
    }

    /**
     * Version {@code version} of the day's close, RUNNING and held by nobody yet; empty when it exists already (two
     * POSTs at once: one creates it, both then claim it, one wins).
     */
    public Uni<Void> create(long tenantId, Long shopId, BusinessDay day, int version, String requestedBy,
            String cashCount) {
        return pool.preparedQuery("""
                insert into day_close (tenant_id, shop_id, business_date, version, day_start, day_end, requested_by,
                       cash_count)
                values ($1, $2, $3, $4, $5, $6, $7, $8::text::jsonb)
                on conflict do nothing""")
                .execute(Tuple.from(new Object[]{tenantId, shopId, day.date(), version,
                        day.start().atOffset(ZoneOffset.UTC), day.end().atOffset(ZoneOffset.UTC), requestedBy,
                        cashCount}))
                .replaceWithVoid();
    }

    /** Takes the close for {@code owner} if it is RUNNING and no live runner holds it. */
    public Uni<Optional<CloseRow>> claim(long id, String owner, Duration lease) {
        return pool.preparedQuery("""
                update day_close set lease_owner = $2, leased_until = now() + make_interval(secs => $3),
                       attempts = attempts + 1, progress = 'started'
                where id = $1 and state = 'RUNNING' and (leased_until is null or leased_until < now())
                returning""" + " " + CloseRow.COLUMNS)
                .execute(Tuple.of(id, owner, (double) lease.toSeconds()))
                .map(DayCloseRepository::first);
    }

    /** Extends the runner's lease and says where it is; false when another runner took the close over. */
    public Uni<Boolean> renew(long id, String owner, Duration lease, String progress) {
        return pool.preparedQuery("""
                update day_close set leased_until = now() + make_interval(secs => $3), progress = $4
                where id = $1 and lease_owner = $2 and state = 'RUNNING'""")
                .execute(Tuple.of(id, owner, (double) lease.toSeconds(), progress))
                .map(rows -> rows.rowCount() == 1);
    }

    /**
    * Gives the close up where it is (its run failed: payment-service out of reach, say): it shows 903 at once,
    * with {@code progress} saying why, and the next POST resumes it.
    */
    public Uni<Void> release(long id, String owner, String progress) {
        return pool.preparedQuery("""
                update day_close set leased_until = null, progress = $3
                where id = $1 and lease_owner = $2 and state = 'RUNNING'""")
                .execute(Tuple.of(id, owner, progress)).replaceWithVoid();
    }

    /** When settlement first heard of an entry of the shop, or null. */
    public Uni<java.time.Instant> firstEntry(long tenantId, Long shopId) {
        return pool.preparedQuery(shopId == null
                ? "select min(created_at) from shop_entry where tenant_id = $1 and $2::bigint is null"
                : "select min(created_at) from shop_entry where tenant_id = $1 and shop_id = $2")
                .execute(Tuple.of(tenantId, shopId)).map(rows -> {
                    var at = rows.iterator().next().getOffsetDateTime(0);
                    return at == null ? null : at.toInstant();
                });
    }

    /**
    * The shops with entries in the day, as settlement heard of them, that have no closed close of it: the
    * head office closes the tenant's day after its shops.
    */
    public Uni<List<Long>> shopsNotClosed(long tenantId, BusinessDay day) {
        return pool
                .preparedQuery(
                        """
                                                                with shops as (select distinct shop_id from shop_entry
                                               where tenant_id = $1 and shop_id is not null and created_at >= $2 and created_at < $3)
                                select s.shop_id from shops s
                                where not exists (select 1 from (select state, changed, checks_passed from day_close d
                                                                 where d.tenant_id = $1 and d.shop_id = s.shop_id
                                                                   and d.business_date = $4
                                                                 order by d.version desc limit 1) newest
                                                  where newest.state = 'CLOSED' and not newest.changed
                                                    and coalesce(newest.checks_passed, true))
                                order by s.shop_id""")
                .execute(Tuple.of(tenantId, day.start().atOffset(ZoneOffset.UTC), day.end().atOffset(ZoneOffset.UTC),
                        day.date()))
                .map(DayCloseRepository::ids);
    }

    /** The first column of every row: shop ids, say. */
    public static List<Long> ids(RowSet<Row> rows) {
        List<Long> ids = new ArrayList<>();
        rows.forEach(row -> ids.add(row.getLong(0)));
        return ids;
    }

    /** The shops of the tenant whose newest close of {@code date} is closed. */
    public Uni<java.util.Set<Long>> closedShops(long tenantId, LocalDate date) {
        return pool.preparedQuery("""
                                select shop_id from (select distinct on (shop_id) shop_id, state, changed, checks_passed
                                     from day_close
                                     where tenant_id = $1 and business_date = $2 and shop_id is not null
                                     order by shop_id, version desc) newest
                where state = 'CLOSED' and not changed and coalesce(checks_passed, true)""")
                .execute(Tuple.of(tenantId, date))
                .map(rows -> {
                    java.util.Set<Long> shops = new java.util.HashSet<>();
                    rows.forEach(row -> shops.add(row.getLong(0)));
                    return shops;
                });
    }

    /**
    * settlement's own totals by entry kind of the entries in {@code [start, end)} that {@code snapshot} saw: the
    * running totals of the hours the day covers whole ({@code [$6, $7)}), less the entries of those hours the snapshot
    * did not see (found by their transaction, at or after the snapshot's xmin), plus the entries of the part hours at
    * the day's ends, read one by one.
    */
    public Uni<Map<String, KindSum>> recorded(long tenantId, Long shopId, BusinessDay day, String snapshot) {
        String shop = shopId == null ? " $2::bigint is null " : " shop_id = $2 ";
        String shopKey = shopId == null ? " $2::bigint is null " : " shop_key = $2 ";
        java.time.Instant wholeFrom = day.start().truncatedTo(java.time.temporal.ChronoUnit.HOURS);
        if (wholeFrom.isBefore(day.start())) {
            wholeFrom = wholeFrom.plus(java.time.Duration.ofHours(1));
        }
        java.time.Instant wholeTo = day.end().truncatedTo(java.time.temporal.ChronoUnit.HOURS);
        if (wholeTo.isBefore(wholeFrom)) {
            // A day within one hour has no whole hour: its entries are read one by one.
            wholeFrom = day.end();
            wholeTo = day.end();
        }
        return pool.preparedQuery("""
                with parts as (
                    select kind, sum(count) as count, sum(actual_money) as actual, sum(give_money) as give,
                           sum(points) as points, sum(used_points) as used, sum(expired_points) as expired
                    from shop_hour_total
                    where tenant_id = $1 and""" + shopKey + """
                and hour >= $6::timestamptz at time zone 'UTC' and hour < $7::timestamptz at time zone 'UTC'
                group by kind
                union all
                select kind, -count(*), -sum(actual_money), -sum(give_money), -sum(points), -sum(used_points),
                       -sum(expired_points)
                from shop_entry
                where tenant_id = $1 and""" + shop + """
                and tx is not null and tx >= pg_snapshot_xmin($5::pg_snapshot)
                  and not pg_visible_in_snapshot(tx, $5::pg_snapshot)
                  and created_at >= $6 and created_at < $7
                group by kind
                union all
                select kind, count(*), sum(actual_money), sum(give_money), sum(points), sum(used_points),
                       sum(expired_points)
                from shop_entry
                where tenant_id = $1 and""" + shop + """
                    and (created_at >= $3 and created_at < $6 or created_at >= $7 and created_at < $4)
                      and (tx is null or pg_visible_in_snapshot(tx, $5::pg_snapshot))
                    group by kind)
                select kind, sum(count)::bigint as count, sum(actual) as actual, sum(give) as give,
                       sum(points)::bigint as points, sum(used)::bigint as used, sum(expired)::bigint as expired
                from parts group by kind having sum(count) <> 0""")
                .execute(Tuple.from(new Object[]{tenantId, shopId, day.start().atOffset(ZoneOffset.UTC),
                        day.end().atOffset(ZoneOffset.UTC), snapshot, wholeFrom.atOffset(ZoneOffset.UTC),
                        wholeTo.atOffset(ZoneOffset.UTC)}))
                .map(rows -> {
                    Map<String, KindSum> sums = new HashMap<>();
                    for (Row row : rows) {
                        sums.put(row.getString("kind"), new KindSum(row.getLong("count"),
                                row.getBigDecimal("actual"), row.getBigDecimal("give"), row.getLong("points"),
                                row.getLong("used"), row.getLong("expired")));
                    }
                    return sums;
                });
    }

    /**
     * Stores the report and closes the day, if {@code owner} still holds it; then records against it the entries of
     * the day settlement has already heard of that the snapshot did not see (later ones come with their events).
     * Answers the close as stored, empty when the runner lost it.
     */
    public Uni<Optional<CloseRow>> finish(long id, String owner, String snapshot, String report, boolean passed) {
        return pool.withTransaction(tx -> tx.preparedQuery("""
                update day_close set state = 'CLOSED', snapshot = $3::pg_snapshot, report = $4::text::jsonb,
                       checks_passed = $5,
                       closed_at = now(), progress = 'closed', leased_until = null
                where id = $1 and lease_owner = $2 and state = 'RUNNING'
                returning tenant_id, shop_id, day_start, day_end""")
                .execute(Tuple.of(id, owner, snapshot, report, passed))
                .flatMap(rows -> {
                    if (!rows.iterator().hasNext()) {
                        return Uni.createFrom().item(Optional.<CloseRow>empty());
                    }
                    return tx.preparedQuery("""
                            with d as (select * from day_close where id = $1),
                            late as (
                                insert into day_close_change (close_id, entry_id, kind, bill_no, card_code,
                                       payment_type, actual_money, give_money, created_at)
                                select d.id, s.entry_id, s.kind, s.bill_no, s.card_code, s.payment_type,
                                       s.actual_money, s.give_money, s.created_at
                                                                from d join shop_entry s on s.tenant_id = d.tenant_id
                                     and s.tx is not null and s.tx >= pg_snapshot_xmin(d.snapshot)
                                where (d.shop_id is null or s.shop_id = d.shop_id)
                                  and s.created_at >= d.day_start and s.created_at < d.day_end
                                  and not pg_visible_in_snapshot(s.tx, d.snapshot)
                                on conflict do nothing
                                returning close_id)
                            update day_close set changed = true
                            where id = $1 and exists (select 1 from late)
                            returning id""")
                            .execute(Tuple.of(id))
                            .flatMap(ignored -> tx.preparedQuery("select " + CloseRow.COLUMNS
                                    + " from day_close where id = $1").execute(Tuple.of(id)))
                            .map(DayCloseRepository::first)
                            .call(close -> close.isEmpty() || close.get().shopId() == null
                                    ? Uni.createFrom().voidItem()
                                    : states.publish(tx, close.get().tenantId(), close.get().shopId(),
                                            close.get().date()));
                }));
    }

    /**
    * Reopens close {@code id} if it is closed and no later day of the shop (or of the tenant, for the head office)
    * is closed, with the audit row, in one transaction. Answers false when it was not so.
    */
    public Uni<Boolean> reopen(CloseRow close, String reason, String userId, String userName) {
        return pool.withTransaction(tx -> tx.preparedQuery("""
                                update day_close d set state = 'REOPENED', progress = 'reopened', leased_until = null
                where d.id = $1 and d.tenant_id = $2 and d.state = 'CLOSED'
                  and not exists (select 1 from day_close later
                                  where later.tenant_id = d.tenant_id
                                    and coalesce(later.shop_id, 0) = coalesce(d.shop_id, 0)
                                    and later.business_date > d.business_date
                                    and later.state in ('CLOSED', 'RUNNING'))
                  and (d.shop_id is null or coalesce((
                          select office.state from day_close office
                          where office.tenant_id = d.tenant_id and office.shop_id is null
                            and office.business_date = d.business_date
                          order by office.version desc limit 1), '') not in ('CLOSED', 'RUNNING'))
                returning d.id""")
                .execute(Tuple.of(close.id(), close.tenantId()))
                .flatMap(rows -> {
                    if (!rows.iterator().hasNext()) {
                        return Uni.createFrom().item(false);
                    }
                    return tx.preparedQuery("""
                            insert into day_close_audit (close_id, tenant_id, action, reason, user_id, user_name)
                                                        values ($1, $2, 'REOPENED', $3, $4, $5)""")
                            .execute(Tuple.of(close.id(), close.tenantId(), reason, userId, userName))
                            .call(() -> close.shopId() == null
                                    ? Uni.createFrom().voidItem()
                                    : states.publish(tx, close.tenantId(), close.shopId(), close.date()))
                            .replaceWith(true);
                }));
    }

    /**
    * Lets the shop trade on while {@code date} is not closed (once: a second allowance changes nothing), with the
    * audit row and the day's state for payment-service, in one transaction.
    */
    public Uni<Void> allow(long tenantId, long shopId, LocalDate date, String reason, String userId,
            String userName) {
        return pool.withTransaction(tx -> tx.preparedQuery("""
                insert into day_allow (tenant_id, shop_id, business_date, reason, user_id, user_name)
                values ($1, $2, $3, $4, $5, $6) on conflict do nothing""")
                .execute(Tuple.of(tenantId, shopId, date, reason, userId).addValue(userName))
                .flatMap(rows -> rows.rowCount() == 0
                        ? Uni.createFrom().voidItem()
                        : states.publish(tx, tenantId, shopId, date)));
    }

    /** Sends the shop-day's state to payment-service again, as it stands. */
    public Uni<Void> publishState(long tenantId, long shopId, LocalDate date) {
        return pool.withTransaction(tx -> states.publish(tx, tenantId, shopId, date));
    }

    /** The audit of a day's closes (every version): who reopened them, when and why, oldest first. */
    public Uni<List<Audit>> auditOfDay(long tenantId, Long shopId, LocalDate date) {
        return pool.preparedQuery("""
                select action, reason, user_id, user_name, at, version from (
                    select a.action, a.reason, a.user_id, a.user_name, a.at, d.version, a.id from day_close_audit a
                    join day_close d on d.id = a.close_id
                    where a.tenant_id = $1 and d.tenant_id = $1 and coalesce(d.shop_id, 0) = coalesce($2::bigint, 0)
                      and d.business_date = $3
                    union all
                    select 'ALLOWED', w.reason, w.user_id, w.user_name, w.at, null, 0 from day_allow w
                    where w.tenant_id = $1 and w.shop_id = $2 and w.business_date = $3) a
                order by at, id""")
                .execute(Tuple.of(tenantId, shopId, date))
                .map(rows -> {
                    List<Audit> audit = new ArrayList<>();
                    for (Row row : rows) {
                        audit.add(new Audit(row.getInteger("version"), row.getString("action"),
                                row.getString("reason"), row.getString("user_id"), row.getString("user_name"),
                                row.getOffsetDateTime("at").toInstant()));
                    }
                    return audit;
                });
    }

    /** What was done to a close after it closed, by whom and why. */
    public record Audit(Integer version, String action, String reason, String userId, String userName,
            java.time.Instant at) {
    }

    /** The entries recorded against a close (what its 905 lists), the first {@code limit} by entry id. */
    public Uni<List<Change>> changes(long closeId, int limit) {
        return pool.preparedQuery("""
                select entry_id, kind, bill_no, card_code, payment_type, actual_money, give_money, created_at
                from day_close_change where close_id = $1 order by entry_id limit $2""")
                .execute(Tuple.of(closeId, limit))
                .map(rows -> {
                    List<Change> changes = new ArrayList<>();
                    for (Row row : rows) {
                        Short type = row.getShort("payment_type");
                        changes.add(new Change(row.getLong("entry_id"), row.getString("kind"),
                                row.getString("bill_no"), row.getString("card_code"),
                                type == null ? null : type.intValue(), row.getBigDecimal("actual_money"),
                                row.getBigDecimal("give_money"), row.getOffsetDateTime("created_at").toInstant()));
                    }
                    return changes;
                });
    }

    /** The entries recorded against a close, summed by kind and payment type: the changed cells of its 905. */
    public Uni<List<ChangeSum>> changeSums(long closeId) {
        return pool.preparedQuery("""
                select kind, payment_type, count(*) as count, sum(actual_money) as actual, sum(give_money) as give
                from day_close_change where close_id = $1 group by kind, payment_type order by kind, payment_type""")
                .execute(Tuple.of(closeId))
                .map(rows -> {
                    List<ChangeSum> sums = new ArrayList<>();
                    for (Row row : rows) {
                        Short type = row.getShort("payment_type");
                        sums.add(new ChangeSum(row.getString("kind"), type == null ? null : type.intValue(),
                                row.getLong("count"), row.getBigDecimal("actual"), row.getBigDecimal("give")));
                    }
                    return sums;
                });
    }

    /** The entries of one kind and payment type recorded against a close. */
    public record ChangeSum(String kind, Integer paymentType, long count, BigDecimal actualMoney,
            BigDecimal giveMoney) {
    }

    /** settlement's totals of one entry kind. */
    public record KindSum(long count, BigDecimal actualMoney, BigDecimal giveMoney, long points, long usedPoints,
            long expiredPoints) {
    }

    /** An entry of a closed day its close did not see. */
    public record Change(long entryId, String kind, String billNo, String cardCode, Integer paymentType,
            BigDecimal actualMoney, BigDecimal giveMoney, java.time.Instant createdAt) {
    }

    private static Optional<CloseRow> first(RowSet<Row> rows) {
        return rows.iterator().hasNext() ? Optional.of(CloseRow.of(rows.iterator().next())) : Optional.empty();
    }
}
