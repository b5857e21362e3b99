package io.membercard.card.lifecycle;

import java.util.List;
import java.util.Objects;

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
import io.membercard.card.card.MacGuard;
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

    /**
     * Who asks for a lifecycle step: the token's tenant and user, the shop it acts at, and whether it is a manager
     * (who may act without the card; a cashier must show the card's secret).
     */
    public record Actor(Operator operator, Long shopId, boolean manager) {
        MacGuard.Guesser guesser() {
            return MacGuard.Guesser.of(operator, shopId);
        }

        long tenantId() {
            return operator.tenantId();
        }
    }

    /** S1-32: an active card is reported lost; reporting a lost card again changes nothing. */
    public Uni<Idempotent<Void>> reportLoss(Actor actor, LifecycleRequests.ReportLoss request) {
        return changeStatus(actor, request.cardCode().trim(), CardStatus.LOST, List.of(CardStatus.ACTIVE),
                "LOST", "be reported lost", request.remark(), false);
    }

    /** S1-33: a lost card is found again (its MAC proves it); an active card stays as it is. */
    public Uni<Idempotent<Void>> cancelLoss(Actor actor, LifecycleRequests.CancelLoss request) {
        String code = request.cardCode().trim();
        return verifier.verifyPresent(actor.guesser(), code, request.mac())
                .flatMap(card -> changeStatus(actor, code, CardStatus.ACTIVE, List.of(CardStatus.LOST), "FOUND",
                        "be found again", request.remark(), true));
    }

    /** S1-35: a card that is not ended yet becomes void (its account stays, frozen); a void card stays void. */
    public Uni<Idempotent<Void>> voidCard(Actor actor, LifecycleRequests.VoidCard request) {
        return changeStatus(actor, request.cardCode().trim(), CardStatus.VOID,
                List.of(CardStatus.UNWRITTEN, CardStatus.ACTIVE, CardStatus.LOST, CardStatus.EXPIRED), "VOID",
                "be voided", null, false);
    }

    private Uni<Idempotent<Void>> changeStatus(Actor actor, String code, CardStatus to, List<CardStatus> from,
            String action, String verb, String remark, boolean present) {
        long tenantId = actor.tenantId();
        Operator operator = actor.operator();
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
                    .flatMap(ignored -> cards.log(tx, tenantId, card.id(), new CardRepository.LogEntry(action,
                            remark, operator.userId(), operator.userName(), actor.shopId(), null, present, null)))
                    .flatMap(ignored -> events.changed(tx, tenantId, List.of(card.id())))
                    .invoke(() -> LOG.infof("tenant %d card %s: %s -> %s", tenantId, code, card.cardStatus(), to))
                    .replaceWith(new Idempotent<Void>(null, false));
        }));
    }

    /**
     * S1-38: writes card {@code code} again with a new MAC (a damaged chip, a card imported without one). The card
     * must be active or unwritten; an unwritten card of a batch order counts as written in its order. A card that
     * is written, or that belongs to a member, is rewritten with its current secret ({@code oldMac}) or by a
     * manager: otherwise one cashier could give any customer's card a secret of their own and spend it.
     */
    public Uni<String> rewrite(Actor actor, LifecycleRequests.Rewrite request) {
        long tenantId = actor.tenantId();
        String code = request.code().trim();
        String oldMac = blankToNull(request.oldMac());
        String hash = secrets.hash(tenantId, request.mac().trim());
        Uni<CardRow> shown = oldMac == null
                ? Uni.createFrom().nullItem()
                : verifier.verifyPresent(actor.guesser(), code, oldMac);
        return shown.flatMap(present -> verifier.newMacAttempt(actor.guesser()).replaceWith(present))
                .flatMap(present -> pool.withTransaction(tx -> cards.lockByCode(tx, tenantId, code).flatMap(card -> {
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
                    if (present != null && !Objects.equals(present.macHash(), card.macHash())) {
                        return Uni.createFrom().failure(new ApiException(StatusCode.CONFLICT,
                                "card " + code + " was written meanwhile; read it again"));
                    }
                    // A blank card of a batch order holds nothing; a card written before, one that belongs to a member,
                    // or one issued without a secret (a partner's or an import's card, which may hold money) does.
                    if (present == null && !actor.manager()
                            && (card.writtenAt() != null || card.memberId() != null || card.batchOrderId() == null)) {
                        return Uni.createFrom().failure(ApiException.forbidden("card " + code + " is rewritten "
                                + "with its current card secret (oldMac), or by a manager"));
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
                            .flatMap(ignored -> cards.log(tx, tenantId, card.id(), new CardRepository.LogEntry(
                                    "REWRITTEN", null, actor.operator().userId(), actor.operator().userName(),
                                    actor.shopId(), null, present != null, null)))
                            .flatMap(ignored -> events.changed(tx, tenantId, List.of(card.id())))
                            .replaceWith(code);
                })))
                .onFailure(PgErrors::isUniqueViolation).transform(e -> CardService.macRefused())
                .onFailure().call(e -> verifier.onMacCollision(actor.guesser(), e));
    }

    /**
     * S1-34: the member and the account of {@code oldCardCode} (active or lost) move to {@code cardCode}, an
     * unwritten card (written now with {@code mac}) or an active one without a member whose MAC is {@code mac}. The
     * old card ends replaced. An active old card is replaced only with its secret ({@code oldMac}), whoever asks; a
     * lost one (its secret is gone with it) only by a manager. A repeat of a finished replacement answers it again.
     */
    public Uni<Idempotent<Void>> replace(Actor actor, LifecycleRequests.Replace request) {
        long tenantId = actor.tenantId();
        String oldCode = request.oldCardCode().trim();
        String newCode = request.cardCode().trim();
        String mac = request.mac().trim();
        String oldMac = blankToNull(request.oldMac());
        if (oldCode.equals(newCode)) {
            throw ApiException.badInput("cardCode", "is the card being replaced");
        }
        return cards.findByTenantAndCode(tenantId, oldCode).flatMap(old -> {
            if (old == null) {
                return Uni.createFrom().<String>failure(ApiException.badInput("oldCardCode",
                        "no card " + oldCode + " in this tenant"));
            }
            if (old.cardStatus() == CardStatus.ACTIVE && oldMac == null) {
                return Uni.createFrom().failure(ApiException.badInput("oldMac", "is required: an active card is "
                        + "replaced with its card secret; if the card is gone, report it lost first"));
            }
            if (old.cardStatus() == CardStatus.LOST && !actor.manager()) {
                return Uni.createFrom().failure(ApiException.forbidden("a lost card is replaced by a manager: "
                        + "without the card its secret cannot be checked"));
            }
            return oldMac == null || old.cardStatus() != CardStatus.ACTIVE
                    ? Uni.createFrom().<String>nullItem()
                    : verifier.checkSecret(actor.guesser(), old, oldMac).map(CardRow::macHash);
        }).flatMap(shownHash -> cards.findByTenantAndCode(tenantId, newCode).flatMap(fresh -> {
            if (fresh == null) {
                return Uni.createFrom().<Idempotent<Void>>failure(CardService.notFound());
            }
            Uni<CardRow> checked = fresh.writtenAt() == null
                    ? verifier.newMacAttempt(actor.guesser()).replaceWith(fresh)
                    : verifier.checkSecret(actor.guesser(), fresh, mac);
            return checked.flatMap(ignored -> replayOrStart(actor, request, oldCode, fresh, mac, shownHash))
                    .onFailure().call(e -> verifier.onMacCollision(actor.guesser(), e));
        }));
    }

    private Uni<Idempotent<Void>> replayOrStart(Actor actor, LifecycleRequests.Replace request, String oldCode,
            CardRow fresh, String mac, String shownHash) {
        // The old card's secret was shown (its hash when checked), or not (null).
        boolean present = shownHash != null;
        long tenantId = actor.tenantId();
        Operator operator = actor.operator();
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
                if ((n.writtenAt() == null) != (fresh.writtenAt() == null)
                        || !Objects.equals(n.macHash(), fresh.macHash())
                        || (present && !Objects.equals(o.macHash(), shownHash))) {
                    // Written meanwhile: its MAC was not the one checked.
                    return Uni.createFrom().failure(new ApiException(StatusCode.CONFLICT,
                            "card " + n.code() + " was written meanwhile; try again"));
                }
                if (o.cardStatus() != CardStatus.ACTIVE && o.cardStatus() != CardStatus.LOST) {
                    return Uni.createFrom().failure(cannot(o, "be replaced"));
                }
                // Its state may have changed since its secret was checked (found again, reported lost).
                if (o.cardStatus() == CardStatus.ACTIVE && !present) {
                    return Uni.createFrom().failure(ApiException.badInput("oldMac", "is required: card " + o.code()
                            + " is active again, and an active card is replaced with its card secret"));
                }
                if (o.cardStatus() == CardStatus.LOST && !present && !actor.manager()) {
                    return Uni.createFrom().failure(ApiException.forbidden("a lost card is replaced by a manager"));
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
                Long shopId = shopIdOr(actor.shopId(), o);
                return free.flatMap(ignored -> operations.start(tx,
                        CardOperation.Kind.REPLACE, operator, shopId, o, n,
                        replaceCommand(operator, shopId, o, n, request).put("cardPresent", present), newMacHash))
                        .map(started -> (Object) started);
            });
        })).flatMap(outcome -> outcome instanceof CardOperation started
                ? operations.drive(started).replaceWith(new Idempotent<Void>(null, false))
                : Uni.createFrom().item(castIdempotent(outcome)));
    }

    /**
     * S1-29: the card ends; payment-service pays its actual balance back by {@code paymentType} and forfeits its
     * bonus and points. The card's secret ({@code mac}) proves the card is there; without it only a manager returns
     * a card. A repeat of a finished return answers it again.
     */
    public Uni<Idempotent<Void>> returnCard(Actor actor, LifecycleRequests.ReturnCard request) {
        long tenantId = actor.tenantId();
        Operator operator = actor.operator();
        String code = request.cardCode().trim();
        String mac = blankToNull(request.mac());
        int type = request.paymentType();
        if (type < 1 || type > 10 || type == 2) {
            throw ApiException.badInput("paymentType",
                    "must be a payment type from 1 to 10 other than 2 (member card)");
        }
        if (mac == null && !actor.manager()) {
            throw ApiException.forbidden("mac: a card is returned with its card secret, or by a manager");
        }
        Uni<CardRow> shown = mac == null
                ? cards.findByTenantAndCode(tenantId, code).map(card -> {
                    if (card == null) {
                        throw CardService.notFound();
                    }
                    return card;
                })
                : verifier.verifyPresent(actor.guesser(), code, mac);
        return shown
                .flatMap(checked -> pool.withTransaction(tx -> cards.lockByCode(tx, tenantId, code).flatMap(card -> {
                    if (card.cardStatus() == CardStatus.RETURNED && !card.busy()) {
                        return Uni.createFrom().item((Object) new Idempotent<Void>(null, true));
                    }
                    CardService.notBusy(card);
                    if (card.cardStatus() != CardStatus.ACTIVE) {
                        return Uni.createFrom().failure(cannot(card, "be returned"));
                    }
                    if (mac != null && !Objects.equals(checked.macHash(), card.macHash())) {
                        return Uni.createFrom().failure(new ApiException(StatusCode.CONFLICT,
                                "card " + code + " was written meanwhile; read it again"));
                    }
                    Long shopId = shopIdOr(actor.shopId(), card);
                    ObjectNode command = actor(operator, shopId).put("cardId", card.id())
                            .put("cardCode", card.code()).put("paymentType", type)
                            .put("timestamp", request.timestamp()).put("remark", request.remark())
                            .put("cardPresent", mac != null);
                    return operations.start(tx, CardOperation.Kind.RETURN, operator, shopId, card,
                            null, command, null).map(started -> (Object) started);
                })))
                .flatMap(outcome -> outcome instanceof CardOperation started
                        ? operations.drive(started).replaceWith(new Idempotent<Void>(null, false))
                        : Uni.createFrom().item(castIdempotent(outcome)));
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text.trim();
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
                .put("userId", operator.userId()).put("userName", operator.userName())
                .put("manager", operator.manager());
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
