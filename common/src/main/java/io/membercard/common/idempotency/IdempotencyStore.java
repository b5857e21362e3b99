package io.membercard.common.idempotency;

import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.membercard.common.api.ApiException;
import io.membercard.common.api.StatusCode;
import io.membercard.common.db.PgErrors;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Runs a command at most once per serial number. The command and its record (serial, request hash, first result)
 * commit in one transaction, or neither does: a refused command leaves no record and may be retried.
 * <p>
 * A repeat finds the record first and gets the stored result (801 if the request differs). Two first attempts
 * that race both run, but the record's key lets only one commit; the other is rolled back and answered with the
 * winner's result, also when it failed only because the winner went first (a balance the winner spent, a bill
 * number the winner took).
 * <p>
 * Needs the table from {@code db/common} in the service's schema (add {@code db/common} to Flyway's locations).
 */
@ApplicationScoped
public class IdempotencyStore {
    private final ObjectMapper mapper;

    public IdempotencyStore(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** Another attempt with the same serial committed first. */
    static final class RaceLost extends RuntimeException {
        private static final long serialVersionUID = 1L;

        RaceLost() {
            super(null, null, false, false);
        }
    }

    /**
     * Runs {@code work} in a transaction of {@code pool} unless {@code key}'s serial was used already: then the
     * stored result is returned (same request) or the request is refused with 801 (different request).
     */
    public <T> Uni<Idempotent<T>> run(Pool pool, IdempotencyKey key, Class<T> resultType,
            Function<SqlConnection, Uni<T>> work) {
        return find(pool, key, resultType).flatMap(done -> done != null
                ? Uni.createFrom().item(done)
                : runFresh(pool, key, resultType, work));
    }

    /**
     * Like {@link #run} for a serial the caller found unused a moment ago (with {@link #find}, say before taking a
     * lock): runs {@code work} and records it, unless a concurrent attempt with the serial commits first.
     */
    public <T> Uni<Idempotent<T>> runFresh(Pool pool, IdempotencyKey key, Class<T> resultType,
            Function<SqlConnection, Uni<T>> work) {
        return pool.withTransaction(tx -> work.apply(tx).flatMap(result -> record(tx, key, result)
                .replaceWith(new Idempotent<>(result, false))))
                .onFailure(IdempotencyStore::mayBeTheRace)
                .recoverWithUni(failure -> find(pool, key, resultType).flatMap(winner -> {
                    if (winner != null) {
                        return Uni.createFrom().item(winner);
                    }
                    return Uni.createFrom().failure(failure instanceof RaceLost
                            ? new ApiException(StatusCode.CONFLICT, "a concurrent request with the same serial "
                                    + "failed; try again")
                            : failure);
                }));
    }

    /**
     * Whether a failure may come from a concurrent attempt with the same serial: its record, a refusal (the balance
     * the winner spent), or a unique key of the command's own (the bill number) that the winner took first.
     */
    private static boolean mayBeTheRace(Throwable failure) {
        return failure instanceof RaceLost || failure instanceof ApiException
                || PgErrors.isUniqueViolation(failure);
    }

    /**
     * The stored result of {@code key}'s serial if it was used already (801 if by another request), or null.
     */
    public <T> Uni<Idempotent<T>> find(SqlClient client, IdempotencyKey key, Class<T> resultType) {
        return client.preparedQuery("""
                select request_hash, response from idempotency_record
                where tenant_id = $1 and scope = $2 and serial = $3""")
                .execute(Tuple.of(key.tenantId(), key.scope(), key.serial()))
                .map(rows -> rows.iterator().hasNext() ? replayOf(rows.iterator().next(), key, resultType) : null);
    }

    private <T> Uni<Void> record(SqlConnection tx, IdempotencyKey key, T result) {
        return tx.preparedQuery("""
                insert into idempotency_record (tenant_id, scope, serial, request_hash, response)
                values ($1, $2, $3, $4, $5) on conflict do nothing""")
                .execute(Tuple.from(new Object[]{key.tenantId(), key.scope(), key.serial(), key.requestHash(),
                        toJson(result)}))
                .flatMap(rows -> rows.rowCount() == 1
                        ? Uni.createFrom().voidItem()
                        : Uni.createFrom().failure(new RaceLost()));
    }

    private <T> Idempotent<T> replayOf(Row row, IdempotencyKey key, Class<T> resultType) {
        if (!key.requestHash().equals(row.getString("request_hash"))) {
            throw new ApiException(StatusCode.DUPLICATE_SERIAL,
                    "serial number " + key.serial() + " was already used for a different request");
        }
        return new Idempotent<>(fromJson(row.getString("response"), resultType), true);
    }

    private String toJson(Object result) {
        try {
            return mapper.writeValueAsString(result);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot store the result", e);
        }
    }

    private <T> T fromJson(String json, Class<T> type) {
        try {
            return mapper.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot read the stored result", e);
        }
    }
}
