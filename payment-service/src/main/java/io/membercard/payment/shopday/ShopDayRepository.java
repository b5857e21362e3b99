package io.membercard.payment.shopday;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Reads a shop-day from the ledger in one read-only, repeatable-read transaction, so that the lines, the kinds'
 * totals, the checks and the snapshot all describe the same ledger. Every query takes the tenant; the day's entries
 * are found through {@code ledger_by_shop_day} (tenant, shop, created_at).
 */
@ApplicationScoped
public class ShopDayRepository {
    /** The day's entries of one shop ($2), or of every shop and none when $2 is null (head office). */
    private static final String SHOP_DAY = " tenant_id = $1 and shop_id = $2 and created_at >= $3 and created_at < $4";
    private static final String TENANT_DAY = " tenant_id = $1 and $2::bigint is null and created_at >= $3 and created_at < $4";

    /**
    * How many day reads may hold a second connection at once: the others read on one connection, one query after
    * the other, so that day closes never take the connections the tills' payments need, nor wait for one another.
    */
    static final int PARALLEL_READS = 2;

    private final Pool pool;
    private final java.util.concurrent.atomic.AtomicInteger parallel = new java.util.concurrent.atomic.AtomicInteger();

    public ShopDayRepository(Pool pool) {
        this.pool = pool;
    }

    public Uni<ShopDay> read(long tenantId, Long shopId, Instant from, Instant to) {
        String day = shopId == null ? TENANT_DAY : SHOP_DAY;
        Tuple args = Tuple.of(tenantId, shopId, from.atOffset(ZoneOffset.UTC), to.atOffset(ZoneOffset.UTC));
        // Two transactions on one snapshot, the second importing the first's (pg_export_snapshot), so that the cells
        // and the ledger's own totals, read at once on two connections, still describe the same ledger.
        return pool.withTransaction(tx -> repeatableRead(tx)
                .flatMap(ignored -> tx.query("select pg_current_snapshot()::text, pg_export_snapshot()").execute())
                .map(rows -> rows.iterator().next())
                .flatMap(snap -> {
                    String snapshot = snap.getString(0);
                    String exported = snap.getString(1);
                    Uni<io.smallrye.mutiny.tuples.Tuple2<Cells, Other>> read;
                    if (parallel.incrementAndGet() <= PARALLEL_READS) {
                        Uni<Other> other = pool.withTransaction(second -> repeatableRead(second)
                                .flatMap(ignored -> second.query(importing(exported)).execute())
                                .flatMap(ignored -> other(second, tenantId, shopId, to, day, args)));
                        read = Uni.combine().all().unis(lines(tx, day, args), other).asTuple()
                                .eventually(parallel::decrementAndGet);
                    } else {
                        parallel.decrementAndGet();
                        read = lines(tx, day, args).flatMap(cells -> other(tx, tenantId, shopId, to, day, args)
                                .map(other -> io.smallrye.mutiny.tuples.Tuple2.of(cells, other)));
                    }
                    return read.map(both -> {
                        Cells c = both.getItem1();
                        Other o = both.getItem2();
                        List<ShopDay.Breach> breaches = new ArrayList<>(c.breaches());
                        breaches.addAll(o.breaches());
                        return new ShopDay(snapshot, o.first(),
                                c.kinds().stream().mapToLong(ShopDay.KindTotal::count).sum(),
                                c.lines().stream().filter(l -> !l.whole()).toList(),
                                c.lines().stream().filter(ShopDay.Line::whole).toList(), c.kinds(), breaches,
                                o.carried(), o.office().shops(), o.office().liability());
                    });
                }));
    }

    /** The ledger's own totals, the broken rules, the carried items, the first entry and the head office's parts. */
    private static Uni<Other> other(SqlConnection tx, long tenantId, Long shopId, Instant to, String day, Tuple args) {
        return breaches(tx, day, args, List.of())
                .flatMap(breaches -> carried(tx, tenantId, shopId, to)
                        .flatMap(carried -> firstEntry(tx, tenantId, shopId)
                                .flatMap(first -> headOffice(tx, shopId, args)
                                        .map(office -> new Other(breaches, carried, first, office)))));
    }

    private static Uni<Void> repeatableRead(SqlConnection tx) {
        return tx.query("set transaction isolation level repeatable read, read only").execute().replaceWithVoid();
    }

    /** {@code SET TRANSACTION SNAPSHOT} of an id PostgreSQL exported (it takes no parameter; the id is checked). */
    private static String importing(String exported) {
        if (exported == null || !exported.matches("[0-9A-Fa-f-]{1,64}")) {
            throw new IllegalStateException("unexpected exported snapshot id");
        }
        return "set transaction snapshot '" + exported + "'";
    }

    /** What the second transaction reads. */
    private record Other(List<ShopDay.Breach> breaches, List<ShopDay.Carried> carried,
            Instant first, HeadOffice office) {
    }

    /** What only the tenant's whole day has: its shops' totals and the liability. */
    private record HeadOffice(List<ShopDay.ShopTotal> shops, ShopDay.Liability liability) {
    }

    private static Uni<HeadOffice> headOffice(SqlConnection tx, Long shopId, Tuple args) {
        if (shopId != null) {
            return Uni.createFrom().item(new HeadOffice(null, null));
        }
        return tx
                .preparedQuery(
                        """
                                select shop_id, count(*) as entries,
                                       coalesce(sum(actual_recharge) filter (where kind in ('RECHARGE', 'RECHARGE_REFUND',
                                           'RECHARGE_REFUND_REVERSED', 'CARD_RETURN')), 0) as took_in,
                                       coalesce(sum(actual_expense) filter (where kind in ('PAYMENT', 'PAYMENT_REFUND')), 0) as spent
                                                from ledger_entry where"""
                                + TENANT_DAY + " group by shop_id order by shop_id nulls first")
                .execute(args)
                .flatMap(rows -> {
                    List<ShopDay.ShopTotal> shops = new ArrayList<>();
                    for (Row row : rows) {
                        shops.add(new ShopDay.ShopTotal(row.getLong("shop_id"), row.getLong("entries"),
                                money(row, "took_in"), money(row, "spent")));
                    }
                    return tx.preparedQuery("""
                            select coalesce(sum(actual_balance), 0) as actual, coalesce(sum(give_balance), 0) as give,
                                   coalesce(sum(total_points - used_points - expired_points), 0) as points
                            from account where tenant_id = $1""")
                            .execute(Tuple.of(args.getLong(0)))
                            .flatMap(accounts -> tx.preparedQuery("""
                                    select coalesce(sum(actual_balance), 0) as actual,
                                           coalesce(sum(give_balance), 0) as give,
                                           coalesce(sum(total_points - used_points - expired_points), 0) as points
                                    from ledger_entry where tenant_id = $1 and created_at >= $2""")
                                    .execute(Tuple.of(args.getLong(0), args.getValue(3)))
                                    .map(after -> new HeadOffice(shops, new ShopDay.Liability(
                                            figures(accounts.iterator().next()), figures(after.iterator().next())))));
                });
    }

    private static ShopDay.Figures figures(Row row) {
        return new ShopDay.Figures(money(row, "actual"), money(row, "give"), row.getLong("points"));
    }

    /** When the shop's (or tenant's) first entry was written, or null. */
    public Uni<Instant> firstEntry(long tenantId, Long shopId) {
        return pool.withConnection(connection -> firstEntry(connection, tenantId, shopId));
    }

    private static Uni<Instant> firstEntry(SqlConnection tx, long tenantId, Long shopId) {
        String sql = shopId == null
                ? "select min(created_at) from ledger_entry where tenant_id = $1 and $2::bigint is null"
                : "select min(created_at) from ledger_entry where tenant_id = $1 and shop_id = $2";
        return tx.preparedQuery(sql).execute(Tuple.of(tenantId, shopId)).map(rows -> {
            var at = rows.iterator().next().getOffsetDateTime(0);
            return at == null ? null : at.toInstant();
        });
    }

    /**
     * The report's cells. A recharge's money is split by how it came in ({@code recharge_payment}), and what a
     * recharge refund or a card return paid back by the types it went out ({@code refund_payment}); what is left of
     * such an entry (its bonus, the spent bonus a refund charges to actual money) is on no payment type: a type's
     * line is the money that went through that type, which a till counts. A card return's bonus and points are forfeited: their own line.
     */
    private static Uni<Cells> lines(SqlConnection tx, String day, Tuple args) {
        // Entries of the kinds split by payment type are few; the others (payments above all) are summed in one
        // pass by kind and type, each entry on one line, so that a day of a million entries sorts nothing.
        return tx.preparedQuery(
                """
                                            with plain as (
                        select l.kind, case l.kind
                                   when 'PAYMENT' then case when pc.entry_id is null then 'payment' else 'payCodePayment' end
                                   when 'PAYMENT_REFUND'
                                       then case when pc.entry_id is null then 'paymentRefund' else 'payCodeRefund' end
                                   when 'OPENING' then 'opening'
                                   when 'CARD_REPLACED' then 'replacement'
                                   when 'MIGRATED_OUT' then 'migration'
                                   when 'MIGRATED_IN' then 'migration'
                                   when 'GIFT_EXCHANGE' then 'giftExchange'
                                   when 'POINTS_EXPIRED' then 'pointsExpiry'
                                   else l.kind end as operation,
                               l.payment_type, count(*) as count, sum(l.actual_balance) as actual,
                               sum(l.give_balance) as give, sum(l.total_points) as tp, sum(l.used_points) as up,
                               sum(l.expired_points) as ep
                        from (select * from ledger_entry where"""
                        + day
                        + """
                                               and kind not in ('RECHARGE', 'RECHARGE_REFUND', 'RECHARGE_REFUND_REVERSED', 'CARD_RETURN')) l
                                         left join pay_code_payment pc on pc.entry_id = case l.kind when 'PAYMENT' then l.id
                                                                                             when 'PAYMENT_REFUND' then l.ref_entry_id end
                                                                                  group by 1, 2, 3),
                                     e as materialized (
                                                             select id, kind, payment_type, bill_no, actual_recharge, actual_balance as ab, give_balance as gb,
                                total_points as tp, used_points as up, expired_points as ep,
                                                case kind when 'RECHARGE' then 'recharge' when 'CARD_RETURN' then 'cardReturn'
                                                          else 'rechargeRefund' end as operation
                                         from ledger_entry where"""
                        + day
                        + """
                                                      and kind in ('RECHARGE', 'RECHARGE_REFUND', 'RECHARGE_REFUND_REVERSED', 'CARD_RETURN')),
                                                typed as (
                                                    select e.id, rp.payment_type, sum(rp.money) as actual
                                                    from e join recharge r on r.entry_id = e.id join recharge_payment rp on rp.recharge_id = r.id
                                                    where e.kind = 'RECHARGE'
                                                    group by e.id, rp.payment_type
                                                    union all
                                                    select e.id, f.payment_type, -sum(f.money)
                                                    from e join refund_payment f on f.entry_id = e.id
                                                    where e.kind in ('RECHARGE_REFUND', 'RECHARGE_REFUND_REVERSED', 'CARD_RETURN')
                                                    group by e.id, f.payment_type),
                                                typed_sum as (select id, sum(actual) as actual from typed group by id),
                                                parts as (
                                                    select e.operation, t.payment_type, t.actual, 0::numeric as give, 0::bigint as tp,
                                                           0::bigint as up, 0::bigint as ep
                                                    from typed t join e on e.id = t.id
                                                    union all
                                                    select e.operation, case when s.id is null then e.payment_type end,
                                                           e.ab - coalesce(s.actual, 0),
                                                           case when e.kind = 'CARD_RETURN' then 0 else e.gb end, e.tp, e.up,
                                                           case when e.kind = 'CARD_RETURN' then 0 else e.ep end
                                                    from e left join typed_sum s on s.id = e.id
                                                    where s.id is null or e.ab <> s.actual or e.tp <> 0 or e.up <> 0
                                                       or (e.kind <> 'CARD_RETURN' and (e.gb <> 0 or e.ep <> 0))
                                                    union all
                                                    select 'bonusForfeit', null, 0, e.gb, 0, 0, e.ep
                                                    from e where e.kind = 'CARD_RETURN' and (e.gb <> 0 or e.ep <> 0))
                                                                                                select 1 as level, operation, payment_type, sum(count)::bigint as count, sum(actual) as actual,
                                                       sum(give) as give, sum(tp)::bigint as tp, sum(up)::bigint as up, sum(ep)::bigint as ep
                                                from plain group by operation, payment_type
                                                union all
                                                -- Level 4, the ledger's own totals by kind, from the same read: each entry once, by its kind.
                                                select 4, kind, null, sum(count)::bigint, sum(actual), sum(give), sum(tp)::bigint, sum(up)::bigint,
                                                       sum(ep)::bigint
                                                from plain group by kind
                                                union all
                                                select 4, kind, null, count(*), sum(ab), sum(gb), sum(tp), sum(up), sum(ep) from e group by kind
                                                union all
                                                select 1, operation, payment_type, count(*), sum(actual), sum(give), sum(tp), sum(up), sum(ep)
                                                from parts group by operation, payment_type
                                                union all
                                                select 2, operation, null, count(*), 0, 0, 0, 0, 0 from e group by operation
                                                union all
                                                                select 2, 'bonusForfeit', null, count(*), 0, 0, 0, 0, 0
                                from e where kind = 'CARD_RETURN' and (gb <> 0 or ep <> 0) having count(*) > 0
                                union all
                                -- Level 3, a broken rule: an entry whose parts by payment type do not add up to the money it took in
                                -- (a recharge) or paid back; operation is its bill, count its id, actual that money, give the parts.
                                select 3, e.bill_no, null, e.id,
                                       case when e.kind = 'RECHARGE' then e.actual_recharge else -e.actual_recharge end,
                                       case when e.kind = 'RECHARGE' then coalesce(s.actual, 0) else -coalesce(s.actual, 0) end,
                                       0, 0, 0
                                from e left join typed_sum s on s.id = e.id
                                where coalesce(s.actual, 0) <> e.actual_recharge""")
                .execute(args)
                .map(ShopDayRepository::cells);
    }

    /**
     * The cells (level 1: an entry of a kind split by payment type is on the line of each type it has a part in,
     * others on one line each) and each operation's whole: its cells summed, counting each entry once (level 2:
     * the split operations' entry counts).
     */
    private static Cells cells(io.vertx.mutiny.sqlclient.RowSet<Row> rows) {
        List<ShopDay.Line> lines = new ArrayList<>();
        List<ShopDay.Breach> breaches = new ArrayList<>();
        List<ShopDay.KindTotal> kinds = new ArrayList<>();
        java.util.Map<String, Long> splitCounts = new java.util.HashMap<>();
        for (Row row : rows) {
            if (row.getInteger("level") == 3) {
                breaches.add(new ShopDay.Breach("typedPartsMismatch", row.getLong("count"), row.getString("operation"),
                        money(row, "actual"), money(row, "give")));
                continue;
            }
            if (row.getInteger("level") == 4) {
                kinds.add(new ShopDay.KindTotal(row.getString("operation"), row.getLong("count"), money(row, "actual"),
                        money(row, "give"), row.getLong("tp"), row.getLong("up"), row.getLong("ep")));
                continue;
            }
            if (row.getInteger("level") == 2) {
                splitCounts.put(row.getString("operation"), row.getLong("count"));
                continue;
            }
            BigDecimal actual = money(row, "actual");
            BigDecimal give = money(row, "give");
            Short type = row.getShort("payment_type");
            lines.add(new ShopDay.Line(row.getString("operation"), type == null ? null : type.intValue(), false,
                    row.getLong("count"), actual.add(give), actual, give, row.getLong("tp"), row.getLong("up"),
                    row.getLong("ep")));
        }
        lines.sort(java.util.Comparator.comparing(ShopDay.Line::operation).thenComparing(ShopDay.Line::paymentType,
                java.util.Comparator.nullsFirst(java.util.Comparator.naturalOrder())));
        java.util.Map<String, ShopDay.Line> wholes = new java.util.TreeMap<>();
        for (ShopDay.Line line : lines) {
            wholes.merge(line.operation(), new ShopDay.Line(line.operation(), null, true, line.count(),
                    line.money(), line.actualMoney(), line.giveMoney(), line.points(), line.usedPoints(),
                    line.expiredPoints()),
                    (a, b) -> new ShopDay.Line(a.operation(), null, true, a.count() + b.count(),
                            a.money().add(b.money()), a.actualMoney().add(b.actualMoney()),
                            a.giveMoney().add(b.giveMoney()), a.points() + b.points(),
                            a.usedPoints() + b.usedPoints(), a.expiredPoints() + b.expiredPoints()));
        }
        List<ShopDay.Line> all = new ArrayList<>(lines);
        wholes.values().forEach(whole -> {
            Long split = splitCounts.get(whole.operation());
            all.add(split == null
                    ? whole
                    : new ShopDay.Line(whole.operation(), null, true, split, whole.money(),
                            whole.actualMoney(), whole.giveMoney(), whole.points(), whole.usedPoints(),
                            whole.expiredPoints()));
        });
        kinds.sort(java.util.Comparator.comparing(ShopDay.KindTotal::kind));
        return new Cells(all, breaches, kinds);
    }

    /** The cells of the report, and the split entries whose parts do not add up (found on the way). */
    private record Cells(List<ShopDay.Line> lines, List<ShopDay.Breach> breaches, List<ShopDay.KindTotal> kinds) {
    }

    /**
     * The rules the day's entries must keep, whole: a refunded payment's refunds (all of them, of any day) never
          * exceed it; a recharge's payment is never paid back beyond what came in; a migration's two sides cancel out; a
     * replacement moves no money; the money a recharge took in, and what a recharge refund or a card return paid
     * back, equal its parts by payment type (the report's type lines are those parts).
     */
    private static Uni<List<ShopDay.Breach>> breaches(SqlConnection tx, String day, Tuple args,
            List<ShopDay.Breach> found) {
        return tx.preparedQuery("""
                with d as materialized (select id, kind, ref_entry_id, bill_no, actual_balance, give_balance,
                                               total_points, actual_recharge
                                        from ledger_entry where""" + day
                + """
                                                                                            and kind in ('PAYMENT_REFUND', 'RECHARGE_REFUND', 'RECHARGE_REFUND_REVERSED',
                                                               'MIGRATED_IN', 'MIGRATED_OUT', 'CARD_REPLACED'))
                        select 'refundOverPayment' as rule, p.id, p.bill_no,
                               -(p.actual_balance + p.give_balance) as original,
                               sum(r.actual_balance + r.give_balance) as refunded
                        from (select distinct ref_entry_id from d where kind = 'PAYMENT_REFUND') x
                        join ledger_entry p on p.id = x.ref_entry_id
                        join ledger_entry r on r.ref_entry_id = p.id and r.kind = 'PAYMENT_REFUND'
                        group by p.id, p.bill_no, p.actual_balance, p.give_balance
                        having sum(r.actual_balance + r.give_balance) > -(p.actual_balance + p.give_balance)
                        union all
                        select 'refundOverRecharge', rp.id, r.code, rp.money, sum(f.money)
                        from (select distinct f0.recharge_payment_id from d join refund_payment f0 on f0.entry_id = d.id
                              where d.kind in ('RECHARGE_REFUND', 'RECHARGE_REFUND_REVERSED')
                                and f0.recharge_payment_id is not null) x
                        join recharge_payment rp on rp.id = x.recharge_payment_id
                        join recharge r on r.id = rp.recharge_id
                        join refund_payment f on f.recharge_payment_id = rp.id
                        group by rp.id, r.code, rp.money
                        having sum(f.money) > rp.money
                        union all
                        select 'unpairedMove', d.id, d.bill_no, d.actual_balance + d.give_balance,
                               coalesce(-(o.actual_balance + o.give_balance), 0)
                        from d left join ledger_entry o on (d.kind = 'MIGRATED_IN' and o.id = d.ref_entry_id)
                                                        or (d.kind = 'MIGRATED_OUT' and o.ref_entry_id = d.id
                                                            and o.kind = 'MIGRATED_IN')
                        where (d.kind in ('MIGRATED_IN', 'MIGRATED_OUT')
                               and (o.id is null or o.actual_balance <> -d.actual_balance
                                    or o.give_balance <> -d.give_balance or o.total_points <> -d.total_points))
                                                                 or (d.kind = 'CARD_REPLACED' and (d.actual_balance <> 0 or d.give_balance <> 0))""")
                .execute(args)
                .map(rows -> {
                    List<ShopDay.Breach> breaches = new ArrayList<>(found);
                    for (Row row : rows) {
                        breaches.add(new ShopDay.Breach(row.getString("rule"), row.getLong("id"),
                                row.getString("bill_no"), row.getBigDecimal("original"),
                                row.getBigDecimal("refunded")));
                    }
                    return breaches;
                });
    }

    /** Online recharge refunds of the shop (or tenant) still waiting for the channel at the day's end. */
    private static Uni<List<ShopDay.Carried>> carried(SqlConnection tx, long tenantId, Long shopId, Instant to) {
        return tx.preparedQuery("""
                select o.bill_no, a.card_code, o.payment_type, o.money, o.created_at
                from online_refund o join account a on a.id = o.account_id
                where o.tenant_id = $1 and ($2::bigint is null or o.shop_id = $2) and o.state = 'PENDING'
                  and o.created_at < $3
                order by o.id limit 1000""")
                .execute(Tuple.of(tenantId, shopId, to.atOffset(ZoneOffset.UTC)))
                .map(rows -> {
                    List<ShopDay.Carried> carried = new ArrayList<>();
                    for (Row row : rows) {
                        carried.add(new ShopDay.Carried("onlineRefundPending", row.getString("bill_no"),
                                row.getString("card_code"), (int) row.getShort("payment_type"),
                                row.getBigDecimal("money"), row.getOffsetDateTime("created_at").toInstant()));
                    }
                    return carried;
                });
    }

    private static BigDecimal money(Row row, String column) {
        BigDecimal value = row.getBigDecimal(column);
        return value == null ? io.membercard.common.money.Money.ZERO : value.setScale(2);
    }
}
