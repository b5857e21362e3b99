package io.membercard.payment.account;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;

import io.membercard.common.api.ApiException;
import io.membercard.common.api.StatusCode;
import io.membercard.common.events.Outbox;
import io.membercard.common.security.Operator;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Many accounts changed in one transaction, one entry each (openings of an import or a partner's cards, a shop's
 * migration): the accounts' new figures, their entries and their events are written in three statements, whatever
 * the number of accounts. The caller holds the accounts' locks (Redis, and the rows {@code for update} in
 * {@code tx}); the updates are fenced by the versions read under those row locks, as for a single change.
 */
@ApplicationScoped
public class BatchPosting {
    private final LedgerIds ids;
    private final Outbox outbox;

    public BatchPosting(LedgerIds ids, Outbox outbox) {
        this.ids = ids;
        this.outbox = outbox;
    }

    /** One account's entry of a batch. */
    public record Change(Account account, Delta delta) {
    }

    /** Writes every change; answers the entries in the order of {@code changes}. */
    public Uni<List<Posted>> post(SqlConnection tx, Operator operator, Long shopId, List<Change> changes) {
        if (changes.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        if (changes.stream().map(c -> c.account().id()).distinct().count() != changes.size()) {
            throw new IllegalArgumentException("a batch changes each account once");
        }
        changes.forEach(c -> c.account().requireOpen());
        return ids.next(tx, changes.size()).flatMap(entryIds -> {
            Instant at = Instant.now();
            List<Posted> posted = new ArrayList<>(changes.size());
            List<Outbox.Pending> events = new ArrayList<>(changes.size());
            for (int i = 0; i < changes.size(); i++) {
                Change change = changes.get(i);
                Posted entry = new Posted(entryIds.get(i), change.account().after(change.delta()), at);
                posted.add(entry);
                events.add(outbox.pending(change.account().tenantId(), AccountChanged.TYPE,
                        Long.toString(change.account().id()),
                        AccountChanged.of(entry, change.delta(), shopId, operator, null), at));
            }
            OffsetDateTime now = at.atOffset(ZoneOffset.UTC);
            return updateAccounts(tx, changes, now)
                    .flatMap(ignored -> insertEntries(tx, operator, shopId, changes, entryIds, now))
                    .flatMap(ignored -> outbox.appendAll(tx, events))
                    .replaceWith(posted);
        });
    }

    private static Uni<Void> updateAccounts(SqlConnection tx, List<Change> changes, OffsetDateTime now) {
        return tx.preparedQuery("""
                update account a set actual_balance = a.actual_balance + v.ab, give_balance = a.give_balance + v.gb,
                       actual_recharge = a.actual_recharge + v.ar, give_recharge = a.give_recharge + v.gr,
                       actual_expense = a.actual_expense + v.ae, give_expense = a.give_expense + v.ge,
                       total_points = a.total_points + v.tp, used_points = a.used_points + v.up,
                       expired_points = a.expired_points + v.ep, version = a.version + 1, updated_at = $12
                from unnest($1::bigint[], $2::bigint[], $3::numeric[], $4::numeric[], $5::numeric[], $6::numeric[],
                            $7::numeric[], $8::numeric[], $9::bigint[], $10::bigint[], $11::bigint[])
                     as v(id, version, ab, gb, ar, gr, ae, ge, tp, up, ep)
                where a.id = v.id and a.version = v.version and a.state = 'OPEN'""")
                .execute(Tuple.from(new Object[]{longs(changes, c -> c.account().id()),
                        longs(changes, c -> c.account().version()), money(changes, Delta::actualBalance),
                        money(changes, Delta::giveBalance), money(changes, Delta::actualRecharge),
                        money(changes, Delta::giveRecharge), money(changes, Delta::actualExpense),
                        money(changes, Delta::giveExpense), longs(changes, c -> c.delta().totalPoints()),
                        longs(changes, c -> c.delta().usedPoints()), longs(changes, c -> c.delta().expiredPoints()),
                        now}))
                .map(rows -> {
                    if (rows.rowCount() != changes.size()) {
                        throw new ApiException(StatusCode.CONFLICT,
                                "some cards changed during the operation; nothing was changed, try again");
                    }
                    return null;
                });
    }

    private static Uni<Void> insertEntries(SqlConnection tx, Operator operator, Long shopId, List<Change> changes,
            List<Long> entryIds, OffsetDateTime now) {
        return tx
                .preparedQuery(
                        """
                                insert into ledger_entry (id, tenant_id, account_id, kind, bill_no, ref_entry_id, payment_type,
                                       shop_id, actual_balance, give_balance, actual_recharge, give_recharge, actual_expense,
                                       give_expense, total_points, used_points, expired_points, version_after, user_id, user_name,
                                       remark, created_at)
                                select v.id, v.tenant_id, v.account_id, v.kind, v.bill_no, v.ref, v.payment_type, $9::bigint, v.ab, v.gb,
                                       v.ar, v.gr, v.ae, v.ge, v.tp, v.up, v.ep, v.version_after, $10::varchar, $11::varchar, v.remark, $12::timestamptz
                                from unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::varchar[], $5::varchar[], $6::bigint[],
                                            $7::smallint[], $8::bigint[], $13::numeric[], $14::numeric[], $15::numeric[],
                                            $16::numeric[], $17::numeric[], $18::numeric[], $19::bigint[], $20::bigint[],
                                            $21::bigint[], $22::varchar[])
                                     as v(id, tenant_id, account_id, kind, bill_no, ref, payment_type, version_after, ab, gb, ar,
                                          gr, ae, ge, tp, up, ep, remark)""")
                .execute(Tuple.from(new Object[]{entryIds.toArray(new Long[0]),
                        longs(changes, c -> c.account().tenantId()), longs(changes, c -> c.account().id()),
                        texts(changes, c -> c.delta().kind().name()), texts(changes, c -> c.delta().billNo()),
                        longs(changes, c -> c.delta().refEntryId()),
                        changes.stream()
                                .map(c -> c.delta().paymentType() == null ? null : c.delta().paymentType().shortValue())
                                .toArray(Short[]::new),
                        longs(changes, c -> c.account().version() + 1), shopId, operator.userId(),
                        operator.userName(), now, money(changes, Delta::actualBalance),
                        money(changes, Delta::giveBalance), money(changes, Delta::actualRecharge),
                        money(changes, Delta::giveRecharge), money(changes, Delta::actualExpense),
                        money(changes, Delta::giveExpense), longs(changes, c -> c.delta().totalPoints()),
                        longs(changes, c -> c.delta().usedPoints()), longs(changes, c -> c.delta().expiredPoints()),
                        texts(changes, c -> c.delta().remark() == null ? "" : c.delta().remark())}))
                .replaceWithVoid();
    }

    private static Long[] longs(List<Change> changes, Function<Change, Long> value) {
        return changes.stream().map(value).toArray(Long[]::new);
    }

    private static String[] texts(List<Change> changes, Function<Change, String> value) {
        return changes.stream().map(value).toArray(String[]::new);
    }

    private static BigDecimal[] money(List<Change> changes, Function<Delta, BigDecimal> figure) {
        return changes.stream().map(c -> figure.apply(c.delta())).toArray(BigDecimal[]::new);
    }
}
