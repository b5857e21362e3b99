package io.membercard.payment.migration;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.membercard.common.api.ApiException;
import io.membercard.common.api.StatusCode;
import io.membercard.common.idempotency.IdempotencyKey;
import io.membercard.common.idempotency.IdempotencyStore;
import io.membercard.common.idempotency.Idempotent;
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
import io.membercard.payment.recharge.OnlineRefundRepository;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Moves a shop's accounts to another tenant in one transaction: every account of the old tenant with anything in it
 * posts a {@code MIGRATED_OUT} entry that empties it, and the new card's account a {@code MIGRATED_IN} entry with
 * exactly the same money and points (points keep their expiry). What leaves one tenant arrives in the other to the
 * cent, or nothing moves. The migration id makes a repeat answer the first result.
 */
@ApplicationScoped
public class AccountMigrationService {
    private static final Logger LOG = Logger.getLogger(AccountMigrationService.class);

    private final Pool pool;
    private final AccountLock lock;
    private final AccountRepository accounts;
    private final BatchPosting batch;
    private final PointsBook points;
    private final IdempotencyStore idempotency;
    private final OnlineRefundRepository onlineRefunds;

    public AccountMigrationService(Pool pool, AccountLock lock, AccountRepository accounts, BatchPosting batch,
            PointsBook points, IdempotencyStore idempotency, OnlineRefundRepository onlineRefunds) {
        this.onlineRefunds = onlineRefunds;
        this.pool = pool;
        this.lock = lock;
        this.accounts = accounts;
        this.batch = batch;
        this.points = points;
        this.idempotency = idempotency;
    }

    public Uni<Idempotent<AccountMigration.Result>> migrate(AccountMigration request) {
        if (request.fromTenantId().equals(request.toTenantId())) {
            throw ApiException.badInput("toTenantId", "is the tenant the accounts come from");
        }
        if (request.cards().stream().map(AccountMigration.Pair::fromCardId).distinct().count() != request.cards()
                .size()
                || request.cards().stream().map(AccountMigration.Pair::toCardId).distinct().count() != request
                        .cards().size()) {
            throw ApiException.badInput("cards", "list each card once");
        }
        Long[] from = request.cards().stream().map(AccountMigration.Pair::fromCardId).toArray(Long[]::new);
        if (request.isDryRun()) {
            return accounts.findAll(pool, request.fromTenantId(), from)
                    .map(found -> new Idempotent<>(result(request, found), false));
        }
        IdempotencyKey key = IdempotencyKey.of(request.fromTenantId(), "migration", request.migrationId(),
                request.cards());
        List<AccountRef> refs = Stream.concat(
                request.cards().stream().map(p -> new AccountRef(request.fromTenantId(), p.fromCardId(), null)),
                request.cards().stream().map(p -> new AccountRef(request.toTenantId(), p.toCardId(), null)))
                .toList();
        return idempotency.find(pool, key, AccountMigration.Result.class).flatMap(done -> done != null
                ? Uni.createFrom().item(done)
                : lock.guardAll(refs, () -> idempotency.runFresh(pool, key, AccountMigration.Result.class,
                        tx -> move(tx, request))));
    }

    private Uni<AccountMigration.Result> move(SqlConnection tx, AccountMigration request) {
        Long[] from = request.cards().stream().map(AccountMigration.Pair::fromCardId).toArray(Long[]::new);
        Long[] to = request.cards().stream().map(AccountMigration.Pair::toCardId).toArray(Long[]::new);
        String[] toCodes = request.cards().stream().map(AccountMigration.Pair::toCardCode).toArray(String[]::new);
        Operator operator = new Operator(request.fromTenantId(), request.userId(),
                request.userName() == null ? "" : request.userName());
        Operator arriving = new Operator(request.toTenantId(), operator.userId(), operator.userName());
        // Every card of the migration gets its account row now, so that all are locked before anything is decided:
        // a recharge racing the migration lands before it (and moves) or is refused after it.
        String[] fromCodes = request.cards().stream().map(AccountMigration.Pair::toCardCode).toArray(String[]::new);
        return accounts.openAll(tx, request.fromTenantId(), from, fromCodes)
                .flatMap(ignored -> accounts.lockAll(tx, request.fromTenantId(), from)).call(sources -> onlineRefunds
                        .pendingFor(tx, request.fromTenantId(), sources.stream().map(Account::id).toList())
                        .invoke(pending -> {
                            if (pending) {
                                throw new ApiException(StatusCode.CONFLICT,
                                        "some cards of the shop have online refunds still"
                                                + " pending; migrate once they are settled");
                            }
                        }))
                .flatMap(sources -> {
                    List<Account> moving = sources.stream().filter(AccountMigrationService::holdsAnything).toList();
                    Map<Long, AccountMigration.Pair> pairs = new HashMap<>();
                    request.cards().forEach(p -> pairs.put(p.fromCardId(), p));
                    Long[] targets = moving.stream().map(a -> pairs.get(a.cardId()).toCardId()).toArray(Long[]::new);
                    String[] targetCodes = moving.stream().map(a -> pairs.get(a.cardId()).toCardCode())
                            .toArray(String[]::new);
                    return accounts.openAll(tx, request.toTenantId(), targets, targetCodes)
                            .flatMap(ignored -> accounts.lockAll(tx, request.toTenantId(), targets))
                            .flatMap(arrivals -> {
                                Map<Long, Account> byCard = new HashMap<>();
                                for (Account arrival : arrivals) {
                                    if (!arrival.isUnused()) {
                                        return Uni.createFrom().<List<Posted>>failure(ApiException.badInput(
                                                "cards", "card " + arrival.cardCode() + " of tenant "
                                                        + request.toTenantId() + " already has an account in use"));
                                    }
                                    byCard.put(arrival.cardId(), arrival);
                                }
                                String remark = "shop migration " + request.migrationId();
                                List<BatchPosting.Change> outs = moving.stream().map(a -> new BatchPosting.Change(a,
                                        Delta.migratedOut(request.migrationId(), a.actualBalance(), a.giveBalance(),
                                                a.actualPoints(), remark + " to tenant " + request.toTenantId())))
                                        .toList();
                                return batch.post(tx, operator, request.shopId(), outs).flatMap(outEntries -> {
                                    List<BatchPosting.Change> ins = new ArrayList<>();
                                    for (int i = 0; i < moving.size(); i++) {
                                        Account a = moving.get(i);
                                        ins.add(new BatchPosting.Change(byCard.get(pairs.get(a.cardId()).toCardId()),
                                                Delta.migratedIn(request.migrationId(), outEntries.get(i).entryId(),
                                                        a.actualBalance(), a.giveBalance(), a.actualPoints(),
                                                        remark + " from tenant " + request.fromTenantId())));
                                    }
                                    return batch.post(tx, arriving, request.shopId(), ins)
                                            .call(inEntries -> moveLots(tx, request, moving, inEntries))
                                            .call(inEntries -> record(tx, request, moving, inEntries))
                                            .call(inEntries -> retire(tx, request, moving, inEntries))
                                            .call(() -> points.publishExpiry(tx, request.fromTenantId(),
                                                    moving.stream().filter(a -> a.actualPoints() > 0).map(Account::id)
                                                            .toList()))
                                            .call(inEntries -> points.publishExpiry(tx, request.toTenantId(),
                                                    inEntries.stream().filter(e -> e.after().actualPoints() > 0)
                                                            .map(e -> e.after().id()).toList()));
                                });
                            })
                            .map(ignored -> {
                                AccountMigration.Result result = result(request, moving);
                                LOG.infof(
                                        "migration %s: %d accounts moved from tenant %d to tenant %d (actual %s, bonus %s,"
                                                + " points %d)",
                                        request.migrationId(), result.accounts(), request.fromTenantId(),
                                        request.toTenantId(), result.actualBalance(), result.giveBalance(),
                                        result.points());
                                return result;
                            });
                });
    }

    /** The old accounts' remaining points lots, with their expiry, now belong to the new accounts. */
    private static Uni<Void> moveLots(SqlConnection tx, AccountMigration request, List<Account> moving,
            List<Posted> inEntries) {
        List<Long> fromIds = new ArrayList<>();
        List<Long> toIds = new ArrayList<>();
        List<Long> entryIds = new ArrayList<>();
        for (int i = 0; i < moving.size(); i++) {
            if (moving.get(i).actualPoints() > 0) {
                fromIds.add(moving.get(i).id());
                toIds.add(inEntries.get(i).after().id());
                entryIds.add(inEntries.get(i).entryId());
            }
        }
        if (fromIds.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return tx.preparedQuery("""
                with moved as (
                    insert into points_lot (tenant_id, account_id, entry_id, points, remaining, expires_at)
                    select $1, m.to_id, m.entry_id, l.remaining, l.remaining, l.expires_at
                    from unnest($2::bigint[], $3::bigint[], $4::bigint[]) as m(from_id, to_id, entry_id)
                    join points_lot l on l.account_id = m.from_id and l.remaining > 0
                    returning 1)
                update points_lot set remaining = 0 where account_id = any($2) and remaining > 0""")
                .execute(Tuple.of(request.toTenantId(), fromIds.toArray(new Long[0]), toIds.toArray(new Long[0]),
                        entryIds.toArray(new Long[0])))
                .replaceWithVoid();
    }

    private static Uni<Void> record(SqlConnection tx, AccountMigration request, List<Account> moving,
            List<Posted> inEntries) {
        if (moving.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return tx.preparedQuery("""
                insert into account_migration (migration_id, from_tenant_id, from_account_id, to_tenant_id,
                                               to_account_id)
                select $1, $2, m.from_id, $3, m.to_id from unnest($4::bigint[], $5::bigint[]) as m(from_id, to_id)""")
                .execute(Tuple.of(request.migrationId(), request.fromTenantId(), request.toTenantId(),
                        moving.stream().map(Account::id).toArray(Long[]::new),
                        inEntries.stream().map(e -> e.after().id()).toArray(Long[]::new)))
                .replaceWithVoid();
    }

    /**
     * The old tenant's accounts take nothing more: those whose money moved point at the accounts that took it, the
     * migration's other cards are closed (with a tombstone where they had no account).
     */
    private Uni<Void> retire(SqlConnection tx, AccountMigration request, List<Account> moving,
            List<Posted> inEntries) {
        java.util.Set<Long> moved = new java.util.HashSet<>();
        moving.forEach(a -> moved.add(a.cardId()));
        List<AccountMigration.Pair> left = request.cards().stream().filter(p -> !moved.contains(p.fromCardId()))
                .toList();
        return accounts.retireMigrated(tx, request.fromTenantId(), moving.stream().map(Account::id)
                .toArray(Long[]::new), inEntries.stream().map(e -> e.after().id()).toArray(Long[]::new),
                left.stream().map(AccountMigration.Pair::fromCardId).toArray(Long[]::new),
                left.stream().map(AccountMigration.Pair::toCardCode).toArray(String[]::new));
    }

    private static boolean holdsAnything(Account a) {
        return a.actualBalance().signum() != 0 || a.giveBalance().signum() != 0 || a.actualPoints() != 0;
    }

    private static AccountMigration.Result result(AccountMigration request, List<Account> found) {
        Map<Long, AccountMigration.Pair> pairs = new HashMap<>();
        request.cards().forEach(p -> pairs.put(p.fromCardId(), p));
        BigDecimal actual = Money.ZERO;
        BigDecimal give = Money.ZERO;
        long pointsTotal = 0;
        List<AccountMigration.Moved> moved = new ArrayList<>();
        for (Account a : found) {
            if (!holdsAnything(a)) {
                continue;
            }
            actual = actual.add(a.actualBalance());
            give = give.add(a.giveBalance());
            pointsTotal += a.actualPoints();
            moved.add(new AccountMigration.Moved(a.cardId(), pairs.get(a.cardId()).toCardId(), a.actualBalance(),
                    a.giveBalance(), a.actualPoints()));
        }
        return new AccountMigration.Result(request.migrationId(), request.isDryRun(), moved.size(), actual, give,
                pointsTotal, moved);
    }
}
