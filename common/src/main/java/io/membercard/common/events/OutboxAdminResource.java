package io.membercard.common.events;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import io.membercard.common.api.ApiException;
import io.membercard.common.api.ApiResponse;
import io.membercard.common.security.Roles;
import io.membercard.common.web.QueryParams;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * For the platform's operators (not routed by the gateway): where each subscriber of this service's outbox stands,
 * the events set aside as dead letters, and sending one of them again once the subscriber is mended.
 */
@Path("/admin/outbox")
@Produces(MediaType.APPLICATION_JSON)
public class OutboxAdminResource {
    private final Pool pool;

    public OutboxAdminResource(Pool pool) {
        this.pool = pool;
    }

    /** A subscriber's cursor. */
    @JsonPropertyOrder({"subscriber", "lastSeq", "pending", "failures", "lastError", "nextAttemptAt", "deadLetters"})
    public record SubscriberState(String subscriber, long lastSeq, long pending, int failures, String lastError,
            OffsetDateTime nextAttemptAt, long deadLetters) {
    }

    /** An event a subscriber kept refusing. */
    @JsonPropertyOrder({"id", "subscriber", "eventId", "eventSeq", "tenantId", "type", "attempts", "lastError",
            "deadAt", "retryRequestedAt", "deliveredAt"})
    public record DeadLetter(long id, String subscriber, String eventId, long eventSeq, long tenantId, String type,
            int attempts, String lastError, OffsetDateTime deadAt, OffsetDateTime retryRequestedAt,
            OffsetDateTime deliveredAt) {
    }

    @GET
    @Operation(summary = "Each subscriber's delivery state (operators)")
    @RolesAllowed(Roles.PLATFORM_ADMIN)
    public Uni<List<SubscriberState>> subscribers() {
        return pool.query("""
                select c.subscriber, c.last_seq, greatest(s.last_seq - c.last_seq, 0) as pending, c.failures,
                       c.last_error, c.next_attempt_at,
                       (select count(*) from outbox_dead_letter d
                        where d.subscriber = c.subscriber and d.delivered_at is null) as dead
                from outbox_cursor c cross join outbox_sequencer s order by c.subscriber""")
                .execute()
                .map(rows -> {
                    List<SubscriberState> states = new ArrayList<>();
                    for (Row row : rows) {
                        states.add(new SubscriberState(row.getString("subscriber"), row.getLong("last_seq"),
                                row.getLong("pending"), row.getInteger("failures"), row.getString("last_error"),
                                row.getOffsetDateTime("next_attempt_at"), row.getLong("dead")));
                    }
                    return states;
                });
    }

    @GET
    @Path("/dead-letters")
    @Operation(summary = "Events set aside after a subscriber kept refusing them, newest first (operators)", description = "delivered=false (default) lists those still undelivered; true lists every one.")
    @RolesAllowed(Roles.PLATFORM_ADMIN)
    public Uni<List<DeadLetter>> deadLetters(@QueryParam("subscriber") String subscriber,
            @QueryParam("delivered") String delivered, @QueryParam("limit") String limit) {
        String name = QueryParams.optionalText("subscriber", subscriber, 60);
        boolean all = "true".equals(delivered);
        if (delivered != null && !all && !"false".equals(delivered)) {
            throw ApiException.badInput("delivered", "must be true or false");
        }
        Integer max = QueryParams.optionalInt("limit", limit);
        if (max != null && (max < 1 || max > 500)) {
            throw ApiException.badInput("limit", "must be from 1 to 500");
        }
        return pool.preparedQuery("""
                select id, subscriber, event_id::text as event_id, event_seq, tenant_id, type, attempts, last_error,
                       dead_at, retry_requested_at, delivered_at
                from outbox_dead_letter
                where ($1::varchar is null or subscriber = $1) and ($2 or delivered_at is null)
                order by id desc limit $3""")
                .execute(Tuple.of(name, all, max == null ? 100 : max))
                .map(rows -> {
                    List<DeadLetter> letters = new ArrayList<>();
                    for (Row row : rows) {
                        letters.add(new DeadLetter(row.getLong("id"), row.getString("subscriber"),
                                row.getString("event_id"), row.getLong("event_seq"), row.getLong("tenant_id"),
                                row.getString("type"), row.getInteger("attempts"), row.getString("last_error"),
                                row.getOffsetDateTime("dead_at"), row.getOffsetDateTime("retry_requested_at"),
                                row.getOffsetDateTime("delivered_at")));
                    }
                    return letters;
                });
    }

    @POST
    @Path("/dead-letters/retry")
    @Operation(summary = "Send a dead letter to its subscriber again, on the dispatcher's next round (operators)")
    @RolesAllowed(Roles.PLATFORM_ADMIN)
    public Uni<ApiResponse<Void>> retry(@QueryParam("id") String id) {
        long letter = QueryParams.requiredId("id", id);
        return pool.preparedQuery("""
                update outbox_dead_letter set retry_requested_at = now() where id = $1 and delivered_at is null""")
                .execute(Tuple.of(letter))
                .map(rows -> {
                    if (rows.rowCount() == 0) {
                        throw ApiException.notFound("undelivered dead letter " + letter);
                    }
                    return ApiResponse.ok();
                });
    }
}
