package io.membercard.card.lifecycle;

import java.time.Duration;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.membercard.card.batchorder.BatchOrderRepository;
import io.membercard.card.card.CardEvents;
import io.membercard.card.card.CardRepository;
import io.membercard.card.card.CardRow;
import io.membercard.card.card.CardStatus;
import io.membercard.common.api.ApiException;
import io.membercard.common.api.StatusCode;
import io.membercard.common.idempotency.IdempotencyKey;
import io.membercard.common.internal.ServiceAnswer;
import io.membercard.common.logging.LogText;
import io.membercard.common.security.Operator;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Replacements and returns as sagas of two steps: the account's change in payment-service (idempotent by the
 * operation's id), then the cards' change here. Starting marks the cards busy, so nothing else can use them
 * meanwhile. When payment-service changed the account, the cards follow; when it refused, or certainly never got
 * the operation's first call, the operation fails and the cards are freed, nothing changed. When nobody knows (a
 * timeout, or payment-service out of reach on a later call, which may follow one it carried out), the operation stays
 * started and {@link CardOperationJob} asks payment-service again until it answers: the answer to the repeated call
 * decides, so the operation never ends half-done.
 */
@ApplicationScoped
public class CardOperations {
    private static final Logger LOG = Logger.getLogger(CardOperations.class);
    /** A driver owns a started operation this long before the job may take it over. */
    static final Duration LEASE = Duration.ofSeconds(30);
    private static final long MAX_BACKOFF_SECONDS = 300;

    private final Pool pool;
    private final CardRepository cards;
    private final CardEvents events;
    private final BatchOrderRepository orders;
    private final PaymentAccounts payments;
    private final ObjectMapper mapper;

    public CardOperations(Pool pool, CardRepository cards, CardEvents events, BatchOrderRepository orders,
            PaymentAccounts payments, ObjectMapper mapper) {
        this.pool = pool;
        this.cards = cards;
        this.events = events;
        this.orders = orders;
        this.payments = payments;
        this.mapper = mapper;
    }

    /**
     * Records a started operation on {@code card} (and {@code newCard}) and marks them busy, in {@code tx}. The
     * payment-service command gets the operation's id here.
     */
    Uni<CardOperation> start(SqlClient tx, CardOperation.Kind kind, Operator operator, Long shopId, CardRow card,
            CardRow newCard, ObjectNode command, String newMacHash) {
        String hashed = IdempotencyKey.hashText(command.toString());
        return tx.preparedQuery("""
                insert into card_operation (tenant_id, kind, state, card_id, new_card_id, request, request_hash,
                       next_attempt_at, shop_id, user_id, user_name)
                values ($1, $2, 'STARTED', $3, $4, '', $5, $6, $7, $8, $9) returning id""")
                .execute(Tuple.from(new Object[]{card.tenantId(), kind.name(), card.id(),
                        newCard == null ? null : newCard.id(), hashed,
                        java.time.OffsetDateTime.now().plus(LEASE), shopId, operator.userId(), operator.userName()}))
                .flatMap(rows -> {
                    long id = rows.iterator().next().getLong(0);
                    command.put("operationId", CardOperation.operationId(id));
                    String request = write(new CardOperation.Request(command, newMacHash));
                    Long[] ids = newCard == null ? new Long[]{card.id()} : new Long[]{card.id(), newCard.id()};
                    return tx.preparedQuery("update card_operation set request = $2 where id = $1")
                            .execute(Tuple.of(id, request))
                            .flatMap(ignored -> tx.preparedQuery("""
                                    update card set busy_operation_id = $3, updated_at = now()
                                    where tenant_id = $1 and id = any($2)""")
                                    .execute(Tuple.of(card.tenantId(), ids, id)))
                            .replaceWith(new CardOperation(id, card.tenantId(), kind, CardOperation.State.STARTED,
                                    card.id(), newCard == null ? null : newCard.id(), request, null, 0));
                });
    }

    /**
     * Asks payment-service for the account's change, for the first time, and ends the operation by its answer. Answers
     * the account's result when it is done; fails with the refusal, with 500 when payment-service was out of reach
     * (nothing changed), or with 703 when the answer is unknown (the operation completes later by itself).
     */
    public Uni<String> drive(CardOperation operation) {
        return drive(operation, true);
    }

    /**
     * {@code first}: whether this is the request's own call. Only that call, and only while the job has never taken the
     * operation up (it may, should the request stall past the lease), may read a payment-service out of reach (or
     * busy, or refusing on the way in) as nothing changed: a call that follows another may follow one that
     * payment-service did carry out, or is still carrying out (the earlier caller died or timed out), so it is asked
     * again until payment-service answers it, or refuses the command itself ({@link ServiceAnswer#decisive}).
     */
    private Uni<String> drive(CardOperation operation, boolean first) {
        CardOperation.Request request = read(operation.request());
        Uni<ServiceAnswer> call = operation.kind() == CardOperation.Kind.REPLACE
                ? payments.replace(request.command())
                : payments.returnCard(request.command());
        return call.flatMap(answer -> switch (answer.kind()) {
            // The account changed: the cards must follow. Should that fail, it is asked again (backing off), the
            // error kept on the operation for the operator.
            case DONE -> finish(operation, request, answer.data().toString()).onFailure().call(e -> {
                LOG.errorf("tenant %d: %s %d: the account changed but the cards could not follow: %s",
                        operation.tenantId(), operation.kind(), operation.id(), e.toString());
                return postpone(operation, "finishing: " + e.getMessage());
            }).onFailure().transform(e -> pending(operation, "the cards have not followed the account yet"));
            case REFUSED, NOT_REACHED -> (answer.decisive() || first
                    ? fail(operation, answer.message(), !answer.decisive())
                    : Uni.createFrom().item(false))
                    .flatMap(failed -> failed
                            ? Uni.createFrom().failure(answer.failure("balance service"))
                            : postpone(operation, answer.message())
                                    .flatMap(ignored -> Uni.createFrom().failure(pending(operation,
                                            "the balance service is out of reach or busy"))));
            case UNKNOWN -> postpone(operation, answer.message())
                    .flatMap(ignored -> Uni.createFrom().failure(pending(operation,
                            "the balance service has not confirmed yet")));
        });
    }

    /** 703: the operation is not done yet ({@code why}), and completes by itself. */
    private static ApiException pending(CardOperation operation, String why) {
        return new ApiException(StatusCode.PAYMENT_STATE_UNKNOWN, why + "; the card stays locked and the "
                + (operation.kind() == CardOperation.Kind.REPLACE ? "replacement" : "return")
                + " completes by itself: check the card again in a minute");
    }

    /** The account changed: the cards follow, in one transaction (unless another driver finished first). */
    private Uni<String> finish(CardOperation operation, CardOperation.Request request, String result) {
        return pool.withTransaction(tx -> lockStarted(tx, operation.id()).flatMap(started -> {
            if (!started) {
                return Uni.createFrom().item(result);
            }
            Long[] ids = operation.newCardId() == null
                    ? new Long[]{operation.cardId()}
                    : new Long[]{operation.cardId(), operation.newCardId()};
            return cards.lockByIds(tx, operation.tenantId(), ids)
                    .flatMap(locked -> operation.kind() == CardOperation.Kind.REPLACE
                            ? finishReplace(tx, operation, request, locked, result)
                            : finishReturn(tx, operation, request, locked.get(0), result))
                    .flatMap(ignored -> tx.preparedQuery("""
                            update card_operation set state = 'DONE', result = $2, error = null, updated_at = now()
                            where id = $1""").execute(Tuple.of(operation.id(), result)))
                    .replaceWith(result);
        })).invoke(() -> LOG.infof("tenant %d: %s %d done", operation.tenantId(), operation.kind(), operation.id()));
    }

    private Uni<Void> finishReplace(SqlClient tx, CardOperation operation, CardOperation.Request request,
            List<CardRow> locked, String result) {
        CardRow old = locked.stream().filter(c -> c.id() == operation.cardId()).findFirst().orElseThrow();
        CardRow fresh = locked.stream().filter(c -> c.id() == operation.newCardId()).findFirst().orElseThrow();
        Operator operator = operatorOf(request);
        String remark = request.command().path("remark").asText("");
        boolean writes = fresh.writtenAt() == null;
        return tx.preparedQuery("""
                update card set status = $3, member_id = null, busy_operation_id = null, version = version + 1,
                       updated_at = now()
                where tenant_id = $1 and id = $2""")
                .execute(Tuple.of(operation.tenantId(), old.id(), CardStatus.REPLACED.code()))
                .flatMap(ignored -> tx.preparedQuery("""
                        update card set status = $3, member_id = $4, card_class_id = $5,
                               mac_hash = coalesce($6, mac_hash),
                               mac_salt_tenant_id = case when $6::text is null then mac_salt_tenant_id end,
                               written_at = coalesce(written_at, now()), busy_operation_id = null,
                               version = version + 1, updated_at = now()
                        where tenant_id = $1 and id = $2""")
                        .execute(Tuple.from(new Object[]{operation.tenantId(), fresh.id(), CardStatus.ACTIVE.code(),
                                old.memberId(), old.cardClassId(), request.newMacHash()})))
                .flatMap(ignored -> writes && fresh.batchOrderId() != null
                        ? orders.recordWrite(tx, operation.tenantId(), fresh.batchOrderId())
                        : Uni.createFrom().voidItem())
                .flatMap(ignored -> cards.log(tx, operation.tenantId(), old.id(),
                        logEntry("REPLACED", remark, request, operator, fresh.code(), result)))
                .flatMap(ignored -> cards.log(tx, operation.tenantId(), fresh.id(),
                        logEntry("REPLACEMENT", remark, request, operator, old.code(), result)))
                .flatMap(ignored -> old.memberId() == null
                        ? Uni.createFrom().voidItem()
                        : events.left(tx, operation.tenantId(), old.id(), old.memberId()))
                .flatMap(ignored -> events.changed(tx, operation.tenantId(), List.of(fresh.id())));
    }

    private Uni<Void> finishReturn(SqlClient tx, CardOperation operation, CardOperation.Request request,
            CardRow card, String result) {
        Operator operator = operatorOf(request);
        return tx.preparedQuery("""
                update card set status = $3, busy_operation_id = null, version = version + 1, updated_at = now()
                where tenant_id = $1 and id = $2""")
                .execute(Tuple.of(operation.tenantId(), card.id(), CardStatus.RETURNED.code()))
                .flatMap(ignored -> cards.log(tx, operation.tenantId(), card.id(), logEntry("RETURNED",
                        request.command().path("remark").asText(""), request, operator, null, result)))
                .flatMap(ignored -> events.changed(tx, operation.tenantId(), List.of(card.id())));
    }

    /** The audit line of a finished operation: its actor and shop, the other card, and what the account moved. */
    private static CardRepository.LogEntry logEntry(String action, String remark, CardOperation.Request request,
            Operator operator, String otherCardCode, String result) {
        JsonNode command = request.command();
        JsonNode shop = command.path("actor").path("shopId");
        JsonNode present = command.path("cardPresent");
        return new CardRepository.LogEntry(action, remark, operator.userId(), operator.userName(),
                shop.canConvertToLong() ? shop.asLong() : null, otherCardCode,
                present.isBoolean() ? present.asBoolean() : null, result);
    }

    /**
     * The account did not change: the operation fails and its cards are free again. {@code unclaimedOnly}: only if the
     * job never took the operation up (a refusal on the way in decides only the request's own, first call). Answers
     * whether the failure stands: false when the operation is the job's to decide now.
     */
    private Uni<Boolean> fail(CardOperation operation, String error, boolean unclaimedOnly) {
        return pool.withTransaction(tx -> tx.preparedQuery(
                "select state, claims from card_operation where id = $1 for update")
                .execute(Tuple.of(operation.id()))
                .flatMap(rows -> {
                    Row row = rows.iterator().hasNext() ? rows.iterator().next() : null;
                    if (row == null || !"STARTED".equals(row.getString("state"))) {
                        // Another driver ended it meanwhile.
                        return Uni.createFrom().item(true);
                    }
                    if (unclaimedOnly && row.getInteger("claims") > 0) {
                        return Uni.createFrom().item(false);
                    }
                    LOG.infof("tenant %d: %s %d failed, nothing changed: %s", operation.tenantId(),
                            operation.kind(), operation.id(), LogText.bounded(error));
                    return tx.preparedQuery("""
                            update card_operation set state = 'FAILED', error = $2, updated_at = now()
                            where id = $1""")
                            .execute(Tuple.of(operation.id(), truncate(error)))
                            .flatMap(ignored -> tx.preparedQuery("""
                                    update card set busy_operation_id = null, updated_at = now()
                                    where tenant_id = $1 and busy_operation_id = $2""")
                                    .execute(Tuple.of(operation.tenantId(), operation.id())))
                            .replaceWith(true);
                }));
    }

    /** Nobody knows yet: ask again later, waiting longer each time. */
    private Uni<Void> postpone(CardOperation operation, String error) {
        long wait = Math.min(MAX_BACKOFF_SECONDS, 1L << Math.min(operation.attempts() + 1, 16));
        LOG.infof("tenant %d: %s %d not confirmed yet (attempt %d), asked again in %d s: %s", operation.tenantId(),
                operation.kind(), operation.id(), operation.attempts() + 1, wait, LogText.bounded(error));
        return pool.preparedQuery("""
                update card_operation set attempts = attempts + 1, error = $2,
                       next_attempt_at = now() + make_interval(secs => $3), updated_at = now()
                where id = $1 and state = 'STARTED'""")
                .execute(Tuple.of(operation.id(), truncate(error), (double) wait)).replaceWithVoid();
    }

    /** Takes up to {@code limit} started operations that are due, for the job; each is leased for a while. */
    Uni<List<CardOperation>> claimDue(int limit) {
        return pool.preparedQuery("""
                update card_operation set next_attempt_at = now() + make_interval(secs => $2), claims = claims + 1,
                       updated_at = now()
                where id in (select id from card_operation where state = 'STARTED' and next_attempt_at <= now()
                             order by id limit $1 for update skip locked)
                returning\s""" + CardOperation.COLUMNS)
                .execute(Tuple.of(limit, (double) LEASE.toSeconds()))
                .map(rows -> {
                    List<CardOperation> due = new java.util.ArrayList<>();
                    for (Row row : rows) {
                        due.add(CardOperation.of(row));
                    }
                    return due;
                });
    }

    /** Drives every due operation once; answers how many it took. */
    public Uni<Integer> driveDue() {
        return claimDue(20).flatMap(due -> Multi.createFrom().iterable(due)
                .onItem().transformToUniAndConcatenate(operation -> drive(operation, false).replaceWithVoid()
                        .onFailure().recoverWithNull())
                .collect().asList().map(List::size));
    }

    /** The latest operation of {@code kind} on card {@code cardId}, or null. */
    Uni<CardOperation> latest(long tenantId, long cardId, CardOperation.Kind kind) {
        return pool.preparedQuery("select " + CardOperation.COLUMNS
                + " from card_operation where tenant_id = $1 and card_id = $2 and kind = $3 order by id desc limit 1")
                .execute(Tuple.of(tenantId, cardId, kind.name()))
                .map(rows -> rows.iterator().hasNext() ? CardOperation.of(rows.iterator().next()) : null);
    }

    /** The operation, if it is still started, locked until the transaction ends. */
    private static Uni<Boolean> lockStarted(SqlClient tx, long id) {
        return tx.preparedQuery("select state from card_operation where id = $1 for update")
                .execute(Tuple.of(id))
                .map(rows -> rows.iterator().hasNext()
                        && "STARTED".equals(rows.iterator().next().getString(0)));
    }

    CardOperation.Request read(String request) {
        try {
            return mapper.readValue(request, CardOperation.Request.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable card operation", e);
        }
    }

    private String write(CardOperation.Request request) {
        try {
            return mapper.writeValueAsString(request);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Operator operatorOf(CardOperation.Request request) {
        var actor = request.command().path("actor");
        return new Operator(actor.path("tenantId").asLong(), actor.path("userId").asText(),
                actor.path("userName").asText(""));
    }

    private static String truncate(String error) {
        return error == null ? null : error.length() > 300 ? error.substring(0, 300) : error;
    }
}
