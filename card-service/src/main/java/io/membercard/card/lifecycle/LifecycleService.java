package io.membercard.card.lifecycle;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.membercard.card.batchorder.BatchOrderRepository;
import io.membercard.card.card.CardEvents;
import io.membercard.card.card.CardRepository;
import io.membercard.card.card.CardRow;
import io.membercard.card.card.CardSecrets;
import io.membercard.card.card.CardService;
import io.membercard.card.card.CardStatus;
import io.membercard.common.api.ApiException;
import io.membercard.common.api.StatusCode;
import io.membercard.common.db.PgErrors;
import io.membercard.common.idempotency.Idempotent;
import io.membercard.common.security.Operator;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * A card's life after it is written: lost and found again, void, rewritten, replaced by another card (member and
 * account move to it) and returned (its money paid back). The first four change only the card; replacement and
 * return change the account in payment-service too, through {@link CardOperations}.
 */
@ApplicationScoped
public class LifecycleService {
    private static final Logger LOG = Logger.getLogger(LifecycleService.class);

    private final Pool pool;
    private final CardRepository cards;
    private final CardService verifier;
    private final CardSecrets secrets;
    private final CardEvents events;
    private final BatchOrderRepository orders;
    private final CardOperations operations;
    private final ObjectMapper mapper;

    public LifecycleService(Pool pool, CardRepository cards, CardService verifier, CardSecrets secrets,
            CardEvents events, BatchOrderRepository orders, CardOperations operations, ObjectMapper mapper) {
        this.pool = pool;
        this.cards = cards;
        this.verifier = verifier;
        this.secrets = secrets;
        this.events = events;
        this.orders = orders;
        this.operations = operations;
        this.mapper = mapper;
    }

    /** S1-32: an active card is reported lost; reporting a lost card again changes nothing. */
    public Uni<Idempotent<Void>> reportLoss(Operator operator, LifecycleRequests.ReportLoss request) {
        return changeStatus(operator, request.cardCode().trim(), CardStatus.LOST, List.of(CardStatus.ACTIVE),
                "LOST", "be reported lost", request.remark());
    }

    /** S1-33: a lost card is found again (its MAC proves it); an active card stays as it is. */
    public Uni<Idempotent<Void>> cancelLoss(Operator operator, LifecycleRequests.CancelLoss request) {
        String code = request.cardCode().trim();
        return cards.findByTenantAndCode(operator.tenantId(), code)
                .flatMap(card -> card == null
                        ? Uni.createFrom().failure(CardService.notFound())
                        : verifier.checkSecret(card, request.mac()))
                .flatMap(card -> changeStatus(operator, code, CardStatus.ACTIVE, List.of(CardStatus.LOST), "FOUND",
                        "be found again", request.remark()));
    }

    /** S1-35: a card that is not ended yet becomes void (its account stays, frozen); a void card stays void. */
    public Uni<Idempotent<Void>> voidCard(Operator operator, LifecycleRequests.VoidCard request) {
        return changeStatus(operator, request.cardCode().trim(), CardStatus.VOID,
                List.of(CardStatus.UNWRITTEN, CardStatus.ACTIVE, CardStatus.LOST, CardStatus.EXPIRED), "VOID",
                "be voided", null);
    }

    private Uni<Idempotent<Void>> changeStatus(Operator operator, String code, CardStatus to, List<CardStatus> from,
            String action, String verb, String remark) {
        long tenantId = operator.tenantId();
        return pool.withTransaction(tx -> cards.lockByCode(tx, tenantId, code).flatMap(card -> {
            if (card == null) {
                return Uni.createFrom().failure(CardService.notFound());
            }
            CardService.notBusy(card);
            if (card.cardStatus() == to) {
                return Uni.createFrom().item(new Idempotent<Void>(null, true));
            }
            if (!from.contains(card.cardStatus())) {
                return Uni.createFrom().failure(cannot(card, verb));
            }
            return tx.preparedQuery("""
                    update card set status = $3, version = version + 1, updated_at = now()
                    where tenant_id = $1 and id = $2""")
                    .execute(Tuple.of(tenantId, card.id(), to.code()))
                    .flatMap(ignored -> cards.log(tx, tenantId, card.id(), action, remark, operator.userId(),
                            operator.userName()))
                    .flatMap(ignored -> events.changed(tx, tenantId, List.of(card.id())))
                    .invoke(() -> LOG.infof("tenant %d card %s: %s -> %s", tenantId, code, card.cardStatus(), to))
                    .replaceWith(new Idempotent<Void>(null, false));
        }));
    }

    /**
     * S1-38: writes card {@code code} again with a new MAC (a damaged chip, a card imported without one). The card
     * must be active or unwritten; an unwritten card of a batch order counts as written in its order.
     */
    public Uni<String> rewrite(Operator operator, LifecycleRequests.Rewrite request) {
        long tenantId = operator.tenantId();
        String code = request.code().trim();
        String hash = secrets.hash(tenantId, request.mac().trim());
        return pool.withTransaction(tx -> cards.lockByCode(tx, tenantId, code).flatMap(card -> {
            if (card == null) {
                return Uni.createFrom().<String>failure(CardService.notFound());
            }
            if (request.id() != null && request.id() != card.id()) {
                return Uni.createFrom().failure(ApiException.badInput("id", "is not the id of card " + code));
            }
            CardService.notBusy(card);
            if (card.cardStatus() != CardStatus.ACTIVE && card.cardStatus() != CardStatus.UNWRITTEN) {
                return Uni.createFrom().failure(cannot(card, "be rewritten"));
            }
            boolean firstWrite = card.writtenAt() == null;
            return verifier.macFree(tx, tenantId, request.mac().trim(), card.id())
                    .flatMap(free -> tx.preparedQuery("""
                            update card set mac_hash = $3, mac_salt_tenant_id = null, status = $4,
                                   written_at = coalesce(written_at, now()), version = version + 1,
                                   updated_at = now()
                            where tenant_id = $1 and id = $2""")
                            .execute(Tuple.of(tenantId, card.id(), hash, CardStatus.ACTIVE.code())))
                    .flatMap(ignored -> firstWrite && card.batchOrderId() != null
                            ? orders.recordWrite(tx, tenantId, card.batchOrderId())
                            : Uni.createFrom().voidItem())
                    .flatMap(ignored -> cards.log(tx, tenantId, card.id(), "REWRITTEN", null, operator.userId(),
                            operator.userName()))
                    .flatMap(ignored -> events.changed(tx, tenantId, List.of(card.id())))
                    .replaceWith(code);
        })).onFailure(PgErrors::isUniqueViolation)
                .transform(e -> ApiException.badInput("mac", "is already bound to another card"));
    }

    /**
     * S1-34: the member and the account of {@code oldCardCode} (active or lost) move to {@code cardCode}, an
     * unwritten card (written now with {@code mac}) or an active one without a member whose MAC is {@code mac}. The
     * old card ends replaced. A repeat of a finished replacement answers it again.
     */
    public Uni<Idempotent<Void>> replace(Operator operator, Long shopId, LifecycleRequests.Replace request) {
        long tenantId = operator.tenantId();
        String oldCode = request.oldCardCode().trim();
        String newCode = request.cardCode().trim();
        String mac = request.mac().trim();
        if (oldCode.equals(newCode)) {
            throw ApiException.badInput("cardCode", "is the card being replaced");
        }
        return cards.findByTenantAndCode(tenantId, newCode).flatMap(fresh -> {
            if (fresh == null) {
                return Uni.createFrom().<Idempotent<Void>>failure(CardService.notFound());
            }
            Uni<CardRow> checked = fresh.writtenAt() == null
                    ? Uni.createFrom().item(fresh)
                    : verifier.checkSecret(fresh, mac);
            return checked.flatMap(ignored -> replayOrStart(operator, shopId, request, oldCode, fresh, mac));
        });
    }

    private Uni<Idempotent<Void>> replayOrStart(Operator operator, Long shopId, LifecycleRequests.Replace request,
            String oldCode, CardRow fresh, String mac) {
        long tenantId = operator.tenantId();
        String newMacHash = fresh.writtenAt() == null ? secrets.hash(tenantId, mac) : null;
        return pool.withTransaction(tx -> cards.lockByCode(tx, tenantId, oldCode).flatMap(old -> {
            if (old == null) {
                return Uni.createFrom().<Object>failure(ApiException.badInput("oldCardCode",
                        "no card " + oldCode + " in this tenant"));
            }
            return cards.lockByIds(tx, tenantId, new Long[]{old.id(), fresh.id()}).flatMap(locked -> {
                CardRow o = locked.stream().filter(c -> c.id() == old.id()).findFirst().orElseThrow();
                CardRow n = locked.stream().filter(c -> c.id() == fresh.id()).findFirst().orElseThrow();
                if (o.cardStatus() == CardStatus.REPLACED && o.memberId() == null && n.cardStatus() == CardStatus.ACTIVE
                        && !n.busy()) {
                    return operations.latest(tenantId, o.id(), CardOperation.Kind.REPLACE).map(last -> {
                        if (last != null && last.state() == CardOperation.State.DONE
                                && last.newCardId() != null && last.newCardId() == n.id()) {
                            return (Object) new Idempotent<Void>(null, true);
                        }
                        throw cannot(o, "be replaced");
                    });
                }
                CardService.notBusy(o);
                CardService.notBusy(n);
                if ((n.writtenAt() == null) != (fresh.writtenAt() == null)) {
                    // Written meanwhile: its MAC was not the one checked.
                    return Uni.createFrom().failure(new ApiException(StatusCode.CONFLICT,
                            "card " + n.code() + " was written meanwhile; try again"));
                }
                if (o.cardStatus() != CardStatus.ACTIVE && o.cardStatus() != CardStatus.LOST) {
                    return Uni.createFrom().failure(cannot(o, "be replaced"));
                }
                if (n.memberId() != null) {
                    return Uni.createFrom().failure(ApiException.badInput("cardCode",
                            "card " + n.code() + " already belongs to a member"));
                }
                if (n.cardStatus() != CardStatus.UNWRITTEN && n.cardStatus() != CardStatus.ACTIVE) {
                    return Uni.createFrom().failure(cannot(n, "take over another card"));
                }
                Uni<Void> free = newMacHash == null
                        ? Uni.createFrom().voidItem()
                        : verifier.macFree(tx, tenantId, mac, n.id());
                return free.flatMap(ignored -> operations.start(tx,
                        CardOperation.Kind.REPLACE, operator, shopIdOr(shopId, o), o, n,
                        replaceCommand(operator, shopIdOr(shopId, o), o, n, request), newMacHash))
                        .map(started -> (Object) started);
            });
        })).flatMap(outcome -> outcome instanceof CardOperation started
                ? operations.drive(started).replaceWith(new Idempotent<Void>(null, false))
                : Uni.createFrom().item(castIdempotent(outcome)));
    }

    /**
     * S1-29: the card ends; payment-service pays its actual balance back by {@code paymentType} and forfeits its
     * bonus and points. A repeat of a finished return answers it again.
     */
    public Uni<Idempotent<Void>> returnCard(Operator operator, Long shopId, LifecycleRequests.ReturnCard request) {
        long tenantId = operator.tenantId();
        String code = request.cardCode().trim();
        int type = request.paymentType();
        if (type < 1 || type > 10 || type == 2) {
            throw ApiException.badInput("paymentType",
                    "must be a payment type from 1 to 10 other than 2 (member card)");
        }
        return cards.findByTenantAndCode(tenantId, code)
                .flatMap(card -> card == null
                        ? Uni.createFrom().failure(CardService.notFound())
                        : verifier.checkSecret(card, request.mac()))
                .flatMap(checked -> pool.withTransaction(tx -> cards.lockByCode(tx, tenantId, code).flatMap(card -> {
                    if (card.cardStatus() == CardStatus.RETURNED && !card.busy()) {
                        return Uni.createFrom().item((Object) new Idempotent<Void>(null, true));
                    }
                    CardService.notBusy(card);
                    if (card.cardStatus() != CardStatus.ACTIVE) {
                        return Uni.createFrom().failure(cannot(card, "be returned"));
                    }
                    ObjectNode command = actor(operator, shopIdOr(shopId, card)).put("cardId", card.id())
                            .put("cardCode", card.code()).put("paymentType", type)
                            .put("timestamp", request.timestamp()).put("remark", request.remark());
                    return operations.start(tx, CardOperation.Kind.RETURN, operator, shopIdOr(shopId, card), card,
                            null, command, null).map(started -> (Object) started);
                })))
                .flatMap(outcome -> outcome instanceof CardOperation started
                        ? operations.drive(started).replaceWith(new Idempotent<Void>(null, false))
                        : Uni.createFrom().item(castIdempotent(outcome)));
    }

    private ObjectNode replaceCommand(Operator operator, Long shopId, CardRow old, CardRow fresh,
            LifecycleRequests.Replace request) {
        return actor(operator, shopId).put("fromCardId", old.id()).put("fromCardCode", old.code())
                .put("toCardId", fresh.id()).put("toCardCode", fresh.code()).put("timestamp", request.timestamp())
                .put("remark", request.remark());
    }

    private ObjectNode actor(Operator operator, Long shopId) {
        ObjectNode command = mapper.createObjectNode();
        command.putObject("actor").put("tenantId", operator.tenantId()).put("shopId", shopId)
                .put("userId", operator.userId()).put("userName", operator.userName());
        return command;
    }

    private static Long shopIdOr(Long shopId, CardRow card) {
        return shopId != null ? shopId : card.shopId();
    }

    @SuppressWarnings("unchecked")
    private static Idempotent<Void> castIdempotent(Object outcome) {
        return (Idempotent<Void>) outcome;
    }

    private static ApiException cannot(CardRow card, String verb) {
        return new ApiException(card.cardStatus().refusal(),
                "card " + card.code() + " is " + card.cardStatus().displayName() + " ("
                        + card.cardStatus().name().toLowerCase() + "): it cannot " + verb);
    }

}
