package io.membercard.payment.account;

import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;

import io.membercard.common.api.ApiException;
import io.membercard.common.api.StatusCode;
import io.membercard.common.db.PgErrors;
import io.membercard.common.events.Outbox;
import io.membercard.common.idempotency.IdempotencyKey;
import io.membercard.common.idempotency.IdempotencyStore;
import io.membercard.common.idempotency.Idempotent;
import io.membercard.common.security.Operator;
import io.membercard.payment.points.PointsBook;
import io.membercard.payment.shopday.UnclosedDayGate;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.pgclient.PgException;

/**
 * The one way money and points move. A change runs under the card's Redis lock (or database locking alone when
 * Redis is down), in one database transaction that holds the account's row lock, checks the client's
 * {@code timestamp}, expires due points, and records the client's serial number with the result. Nothing is
 * written unless all of it is.
 */
@ApplicationScoped
public class AccountLedger {
    private static final String CHECK_VIOLATION = "23514";

    private final Pool pool;
    private final AccountRepository accounts;
    private final IdempotencyStore idempotency;
    private final AccountLock lock;
    private final Outbox outbox;
    private final PointsBook points;
    private final LedgerIds ids;
    private final UnclosedDayGate unclosedDays;

    public AccountLedger(Pool pool, AccountRepository accounts, IdempotencyStore idempotency, AccountLock lock,
            Outbox outbox, PointsBook points, LedgerIds ids, UnclosedDayGate unclosedDays) {
        this.ids = ids;
        this.unclosedDays = unclosedDays;
        this.pool = pool;
        this.accounts = accounts;
        this.idempotency = idempotency;
        this.lock = lock;
        this.outbox = outbox;
        this.points = points;
    }

    /** What a change does with the locked account. */
    @FunctionalInterface
    public interface Work<T> {
        Uni<T> run(Posting posting);
    }

    /**
     * Answers the first result of {@code key}'s serial if it was used already (801 when by another request), before
     * anything else is looked at: a replay answers the same whatever changed since (the card locked, a plan edited).
     * Otherwise runs {@code command}, whose change must carry the same key (a repeat racing this attempt is caught
     * by the key when it commits).
     */
    public <T> Uni<Idempotent<T>> once(IdempotencyKey key, Class<T> resultType,
            java.util.function.Supplier<Uni<Idempotent<T>>> command) {
        if (key == null) {
            return Uni.createFrom().<Idempotent<T>>deferred(command::get);
        }
        return idempotency.find(pool, key, resultType).flatMap(replay -> replay != null
                ? Uni.createFrom().item(replay)
                : Uni.createFrom().<Idempotent<T>>deferred(command::get));
    }

    /**
    * {@link #once} for a till's money operation in shop {@code shopId}: a first request is also held to the tenant's
    * rule for a shop whose previous business day is not closed (a warning in the answer's message, or 901 and nothing
    * done; see UnclosedDayGate). A replay answers as before, whatever the day's state now.
    */
    public <T> Uni<Idempotent<T>> tillOnce(Operator operator, Long shopId, IdempotencyKey key, Class<T> resultType,
            java.util.function.Supplier<Uni<Idempotent<T>>> command) {
        return once(key, resultType, () -> unclosedDays.check(operator, shopId)
                .flatMap(warning -> command.get().map(outcome -> outcome.withMessage(warning))));
    }

    /**
     * Runs {@code work} on the account of {@code ref}. A caller with a serial runs this within {@link #once}.
     *
     * @param key the client's serial number, or null for a change without one
     * @param timestamp the account version the client read, or null/blank when it sent none
     */
    public <T> Uni<Idempotent<T>> change(Operator operator, Long shopId, AccountRef ref, IdempotencyKey key,
            String timestamp, Class<T> resultType, Work<T> work) {
        return change(operator, shopId, ref, null, key, timestamp, resultType, work);
    }

    /**
     * {@link #change} that also holds the lock of card {@code other} (the card a replacement moves the account to),
     * both locks taken at once.
     */
    public <T> Uni<Idempotent<T>> change(Operator operator, Long shopId, AccountRef ref, AccountRef other,
            IdempotencyKey key, String timestamp, Class<T> resultType, Work<T> work) {
        Long expectedVersion = parseTimestamp(timestamp);
        return guard(ref, other, () -> {
            Function<SqlConnection, Uni<T>> body = tx -> accounts.lockOrOpen(tx, ref).flatMap(found -> {
                Account account = found.requireOpen();
                if (expectedVersion != null && expectedVersion < account.version()) {
                    return Uni.createFrom().failure(new ApiException(StatusCode.CONFLICT, "card " + ref.cardCode()
                            + " changed since it was read (timestamp " + expectedVersion + ", now "
                            + account.version() + "): read it again"));
                }
                Posting posting = new Posting(tx, accounts, outbox, ids, operator, shopId, account);
                return points.expireDue(posting).flatMap(ignored -> work.run(posting))
                        .call(() -> points.publishExpiry(posting));
            });
            return key == null
                    ? pool.withTransaction(body).map(result -> new Idempotent<>(result, false))
                    : idempotency.runFresh(pool, key, resultType, body);
        }).onFailure(PgException.class).transform(AccountLedger::translate);
    }

    private <T> Uni<T> guard(AccountRef ref, AccountRef other, java.util.function.Supplier<Uni<? extends T>> work) {
        return other == null ? lock.guard(ref, work) : lock.guardAll(java.util.List.of(ref, other), work);
    }

    private static Throwable translate(Throwable failure) {
        PgException e = (PgException) failure;
        if (CHECK_VIOLATION.equals(e.getSqlState())) {
            // The database refused a negative balance or points count: the business checks missed a race.
            return new ApiException(StatusCode.BALANCE_TOO_LOW, "balance too low; nothing was changed");
        }
        if (PgErrors.UNIQUE_VIOLATION.equals(e.getSqlState())) {
            // A pay code pays once, whatever Redis remembers of it.
            return e.getConstraint() != null && e.getConstraint().startsWith("pay_code_payment")
                    ? new ApiException(StatusCode.CARD_PAY_CODE_EXPIRED,
                            "the pay code was used already; ask the customer to show a new one")
                    : new ApiException(StatusCode.DUPLICATE_SERIAL, "this bill number was already used");
        }
        return e;
    }

    private static Long parseTimestamp(String timestamp) {
        if (timestamp == null || timestamp.isBlank()) {
            return null;
        }
        try {
            return Long.parseLong(timestamp.trim());
        } catch (NumberFormatException e) {
            throw ApiException.badInput("timestamp", "must be the timestamp a card read returned");
        }
    }
}
