package io.membercard.common.idempotency;

import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.membercard.common.api.ApiException;
import io.membercard.common.api.StatusCode;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Runs a command at most once per serial number. The record is written in the command's own transaction, so the
 * command and its record commit or vanish together: a concurrent duplicate waits on the record's key, then
 * replays the stored first result. Only successful results are stored; a refused command leaves no record and
 * may be retried.
 * <p>
 * Needs the table from {@code db/common} in the service's schema (add {@code db/common} to Flyway's locations).
 */
@ApplicationScoped
public class IdempotencyStore {
    private final ObjectMapper mapper;

    public IdempotencyStore(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /**
     * Runs {@code work} in transaction {@code tx} unless {@code key}'s serial was already used: then the stored
     * result is returned (same request) or the request is refused with 801 (different request).
     */
    public <T> Uni<Idempotent<T>> once(SqlConnection tx, IdempotencyKey key, Class<T> resultType,
            Supplier<Uni<T>> work) {
        return tx.preparedQuery("""
                insert into idempotency_record (tenant_id, scope, serial, request_hash)
                values ($1, $2, $3, $4) on conflict do nothing""")
                .execute(Tuple.of(key.tenantId(), key.scope(), key.serial(), key.requestHash()))
                .flatMap(inserted -> inserted.rowCount() == 1
                        ? work.get().flatMap(result -> store(tx, key, result)
                                .replaceWith(new Idempotent<>(result, false)))
                        : replay(tx, key, resultType));
    }

    /**
     * The stored result of {@code key}'s serial if it was used already (801 if by another request), or null. For
     * commands that must spend something outside the database (a pay code) only when they are not a replay;
     * {@link #once} still decides under the transaction.
     */
    public <T> Uni<Idempotent<T>> find(SqlClient client, IdempotencyKey key, Class<T> resultType) {
        return client.preparedQuery("""
                select request_hash, response from idempotency_record
                where tenant_id = $1 and scope = $2 and serial = $3""")
                .execute(Tuple.of(key.tenantId(), key.scope(), key.serial()))
                .map(rows -> rows.iterator().hasNext() ? replayOf(rows.iterator().next(), key, resultType) : null);
    }

    private <T> Uni<Void> store(SqlConnection tx, IdempotencyKey key, T result) {
        return tx.preparedQuery("""
                update idempotency_record set response = $4
                where tenant_id = $1 and scope = $2 and serial = $3""")
                .execute(Tuple.of(key.tenantId(), key.scope(), key.serial(), toJson(result)))
                .replaceWithVoid();
    }

    private <T> Uni<Idempotent<T>> replay(SqlConnection tx, IdempotencyKey key, Class<T> resultType) {
        return tx.preparedQuery("""
                select request_hash, response from idempotency_record
                where tenant_id = $1 and scope = $2 and serial = $3""")
                .execute(Tuple.of(key.tenantId(), key.scope(), key.serial()))
                .map(rows -> replayOf(rows.iterator().next(), key, resultType));
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
