package io.membercard.payment.opening;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.membercard.common.api.ApiException;
import io.membercard.common.db.TableStats;
import io.membercard.common.money.Money;
import io.membercard.common.security.Operator;
import io.membercard.payment.account.Account;
import io.membercard.payment.account.AccountLock;
import io.membercard.payment.account.AccountRef;
import io.membercard.payment.account.AccountRepository;
import io.membercard.payment.account.BatchPosting;
import io.membercard.payment.account.Delta;
import io.membercard.payment.account.Posted;
import io.membercard.payment.points.PointsBook;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Opens the accounts of many cards at once and gives each its opening balance and points, as one {@code OPENING}
 * entry per card: under the cards' Redis locks (all at once) and in one transaction with their row locks. The
 * database lets an account have one opening only, so a repeated call can never pay twice.
 */
@ApplicationScoped
public class OpeningService {
    private static final Logger LOG = Logger.getLogger(OpeningService.class);

    private final Pool pool;
    private final AccountLock lock;
    private final AccountRepository accounts;
    private final BatchPosting batch;
    private final PointsBook points;
    private final TableStats stats;

    public OpeningService(Pool pool, AccountLock lock, AccountRepository accounts, BatchPosting batch,
            PointsBook points, TableStats stats) {
        this.stats = stats;
        this.pool = pool;
        this.lock = lock;
        this.accounts = accounts;
        this.batch = batch;
        this.points = points;
    }

    public Uni<List<Openings.Opened>> open(Openings request) {
        long tenantId = request.actor().tenantId();
        Set<Long> seen = new HashSet<>();
        for (int i = 0; i < request.items().size(); i++) {
            Openings.Item item = request.items().get(i);
            if (!seen.add(item.cardId())) {
                throw ApiException.badInput("items[" + i + "].cardId", "card " + item.cardId() + " is listed twice");
            }
            Money.of("items[" + i + "].actual", item.actual());
            Money.of("items[" + i + "].give", item.give());
        }
        List<AccountRef> refs = request.items().stream()
                .map(item -> new AccountRef(tenantId, item.cardId(), item.cardCode())).toList();
        return lock.guardAll(refs, () -> pool.withTransaction(tx -> openIn(tx, request)))
                .call(() -> request.items().size() >= 100
                        ? stats.refresh(List.of("account", "ledger_entry", "points_lot"))
                        : Uni.createFrom().voidItem());
    }

    private Uni<List<Openings.Opened>> openIn(SqlConnection tx, Openings request) {
        long tenantId = request.actor().tenantId();
        Operator operator = request.actor().operator();
        Long[] cardIds = request.items().stream().map(Openings.Item::cardId).toArray(Long[]::new);
        String[] codes = request.items().stream().map(Openings.Item::cardCode).toArray(String[]::new);
        return accounts.openAll(tx, tenantId, cardIds, codes)
                .flatMap(ignored -> accounts.lockAll(tx, tenantId, cardIds))
                .flatMap(locked -> alreadyOpened(tx, locked).flatMap(done -> {
                    Map<Long, Account> byCard = new HashMap<>();
                    locked.forEach(account -> byCard.put(account.cardId(), account));
                    List<BatchPosting.Change> changes = new ArrayList<>();
                    List<Openings.Item> posted = new ArrayList<>();
                    for (Openings.Item item : request.items()) {
                        Account account = byCard.get(item.cardId());
                        if (done.contains(account.id()) || nothingIn(item)) {
                            continue;
                        }
                        changes.add(new BatchPosting.Change(account, Delta.opening(item.billNo(),
                                money(item.actual()), money(item.give()), orZero(item.points()),
                                item.remark() == null ? "opening balance" : item.remark())));
                        posted.add(item);
                    }
                    return batch.post(tx, operator, request.actor().shopId(), changes)
                            .call(entries -> insertLots(tx, tenantId, posted, entries))
                            .call(entries -> points.publishExpiry(tx, tenantId, entries.stream()
                                    .filter(e -> e.after().actualPoints() > 0).map(e -> e.after().id()).toList()))
                            .map(entries -> {
                                Map<Long, Account> after = new HashMap<>(byCard);
                                entries.forEach(e -> after.put(e.after().cardId(), e.after()));
                                if (!entries.isEmpty()) {
                                    LOG.infof("tenant %d: %d opening balances posted", tenantId, entries.size());
                                }
                                Set<Long> opened = new HashSet<>();
                                entries.forEach(e -> opened.add(e.after().id()));
                                return request.items().stream().map(item -> {
                                    Account a = after.get(item.cardId());
                                    return new Openings.Opened(item.cardId(), a.id(), opened.contains(a.id()),
                                            a.timestamp());
                                }).toList();
                            });
                }));
    }

    /** The accounts among {@code locked} that have had their opening. */
    private static Uni<Set<Long>> alreadyOpened(SqlConnection tx, List<Account> locked) {
        return tx.preparedQuery("select account_id from ledger_entry where account_id = any($1) and kind = 'OPENING'")
                .execute(Tuple.of((Object) locked.stream().map(Account::id).toArray(Long[]::new)))
                .map(rows -> {
                    Set<Long> done = new HashSet<>();
                    rows.forEach(row -> done.add(row.getLong(0)));
                    return done;
                });
    }

    private static Uni<Void> insertLots(SqlConnection tx, long tenantId, List<Openings.Item> items,
            List<Posted> entries) {
        List<Long> accountIds = new ArrayList<>();
        List<Long> entryIds = new ArrayList<>();
        List<Long> lotPoints = new ArrayList<>();
        List<OffsetDateTime> expiries = new ArrayList<>();
        Instant now = Instant.now();
        for (int i = 0; i < items.size(); i++) {
            long p = orZero(items.get(i).points());
            if (p > 0) {
                Integer days = items.get(i).pointsValidDays();
                accountIds.add(entries.get(i).after().id());
                entryIds.add(entries.get(i).entryId());
                lotPoints.add(p);
                expiries.add(days == null || days == 0
                        ? null
                        : now.plus(Duration.ofDays(days)).atOffset(ZoneOffset.UTC));
            }
        }
        if (accountIds.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return tx.preparedQuery("""
                insert into points_lot (tenant_id, account_id, entry_id, points, remaining, expires_at)
                select $1, v.account_id, v.entry_id, v.points, v.points, v.expires_at
                from unnest($2::bigint[], $3::bigint[], $4::bigint[], $5::timestamptz[])
                     as v(account_id, entry_id, points, expires_at)""")
                .execute(Tuple.of(tenantId, accountIds.toArray(new Long[0]), entryIds.toArray(new Long[0]),
                        lotPoints.toArray(new Long[0]), expiries.toArray(new OffsetDateTime[0])))
                .replaceWithVoid();
    }

    private static boolean nothingIn(Openings.Item item) {
        return money(item.actual()).signum() == 0 && money(item.give()).signum() == 0 && orZero(item.points()) == 0;
    }

    private static BigDecimal money(BigDecimal value) {
        return value == null ? Money.ZERO : Money.of("money", value);
    }

    private static long orZero(Long value) {
        return value == null ? 0 : value;
    }
}
