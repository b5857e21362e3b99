package io.membercard.common.db;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * A job that one instance runs at a time, held by a short lease on its one state row ({@code id = 1}, columns
 * {@code leased_until} and {@code lease_owner}). The holder renews the lease as it goes, so a long run keeps it, and
 * an instance killed mid-run holds it for at most {@link #LENGTH}: the restarted instance (a new owner) takes over
 * then, not when a lease sized for the longest run would have run out.
 */
public final class JobLease {
    /** Outlives the longest step between two renewals (one page, one tenant). */
    public static final Duration LENGTH = Duration.ofSeconds(30);

    private final Pool pool;
    private final String table;
    private final String owner = UUID.randomUUID().toString();

    /** {@code table} is a constant of the caller's (never input): the job's state row. */
    public JobLease(Pool pool, String table) {
        this.pool = pool;
        this.table = table;
    }

    /**
     * Takes the lease if no live holder has it, answering the state row's {@code returning} columns (empty: another
     * holds it). {@code more} are the query's {@code $3}, {@code $4}, … where {@code returning} needs them.
     */
    public Uni<java.util.Optional<Row>> take(String returning, Object... more) {
        List<Object> args = new ArrayList<>(List.of(owner, (double) LENGTH.toSeconds()));
        args.addAll(List.of(more));
        return pool.preparedQuery("update " + table + """
                 set leased_until = now() + make_interval(secs => $2), lease_owner = $1
                where id = 1 and (leased_until is null or leased_until < now())
                returning\s""" + returning)
                .execute(Tuple.from(args))
                .map(rows -> rows.iterator().hasNext()
                        ? java.util.Optional.of(rows.iterator().next())
                        : java.util.Optional.empty());
    }

    /** Extends the lease; fails with {@link Lost} if another instance took it meanwhile (this run must stop). */
    public Uni<Void> renew() {
        return renew(pool);
    }

    /**
     * {@link #renew()} through {@code client}: inside a write's transaction it fences the write, which then commits
     * only while this instance still holds the lease (the transaction rolls back on {@link Lost}).
     */
    public Uni<Void> renew(SqlClient client) {
        return client.preparedQuery("update " + table
                + " set leased_until = now() + make_interval(secs => $2) where id = 1 and lease_owner = $1")
                .execute(Tuple.of(owner, (double) LENGTH.toSeconds()))
                .flatMap(rows -> rows.rowCount() == 1
                        ? Uni.createFrom().voidItem()
                        : Uni.createFrom().failure(new Lost(table)));
    }

    /** Gives the lease back, with {@code alsoSet} (say {@code last_pass_at = now()}) if not blank, if still held. */
    public Uni<Void> release(String alsoSet) {
        return pool.preparedQuery("update " + table + " set leased_until = null"
                + (alsoSet.isBlank() ? "" : ", " + alsoSet) + " where id = 1 and lease_owner = $1")
                .execute(Tuple.of(owner)).replaceWithVoid();
    }

    /** Another instance took the lease over (this one was too slow to renew it): the run stops where it is. */
    public static final class Lost extends IllegalStateException {
        Lost(String table) {
            super("the lease on " + table + " was taken over by another instance");
        }
    }
}
