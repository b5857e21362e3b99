package io.membercard.card.issue;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.membercard.card.batchorder.BatchOrderRepository;
import io.membercard.card.card.CardCheck;
import io.membercard.card.card.CardRepository;
import io.membercard.card.card.CardRow;
import io.membercard.card.card.CardSecrets;
import io.membercard.card.card.CardSendMode;
import io.membercard.card.card.CardService;
import io.membercard.card.card.CardStatus;
import io.membercard.card.card.MacGuard;
import io.membercard.common.api.ApiException;
import io.membercard.common.api.StatusCode;
import io.membercard.common.db.PgErrors;
import io.membercard.common.db.TableStats;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Issues cards to members, many at once: binds a card that has no member yet (writing it with its MAC when it is
 * unwritten) or creates it, in one transaction for the whole batch. Items that cannot be issued are answered with
 * the reason, the others go ahead. A repeat of an item (same key) finds the card issued the first time.
 */
@ApplicationScoped
public class IssueService {
    private static final Logger LOG = Logger.getLogger(IssueService.class);

    private final Pool pool;
    private final CardSecrets secrets;
    private final BatchOrderRepository orders;
    private final TableStats stats;
    private final CardService verifier;
    private final CardRepository cardRows;
    private final MacGuard guard;

    public IssueService(Pool pool, CardSecrets secrets, BatchOrderRepository orders, TableStats stats,
            CardRepository cardRows, CardService verifier, MacGuard guard) {
        this.guard = guard;
        this.stats = stats;
        this.verifier = verifier;
        this.cardRows = cardRows;
        this.pool = pool;
        this.secrets = secrets;
        this.orders = orders;
    }

    /** A card to create, or an existing one to bind. */
    private record Plan(IssueRequest.Item item, CardRow existing, String macHash, long classId) {
    }

    public Uni<List<IssuedCard>> issue(IssueRequest request) {
        check(request);
        MacGuard.Guesser guesser = guesser(request);
        boolean newMacs = request.items().stream().anyMatch(i -> i.plainMac() || i.hashedMac());
        // A caller locked out of card secrets gives no card a secret either; a secret another card has locks it out
        // (real chips' secrets do not collide), as writing and rewriting do.
        return (newMacs ? guard.callerNotLocked(guesser) : Uni.createFrom().voidItem())
                .flatMap(open -> guessed(request))
                .flatMap(refusals -> issue(request, refusals))
                .call(answers -> answers.stream().anyMatch(a -> a.card() == null
                        && MAC_REFUSED.equals(a.message()))
                                ? guard.collision(guesser)
                                : Uni.createFrom().voidItem());
    }

    private static final String MAC_REFUSED = CardService.macRefused().getMessage();

    private static MacGuard.Guesser guesser(IssueRequest request) {
        return new MacGuard.Guesser(request.tenantId(), request.userId(), request.shopId());
    }

    /**
     * Binding a written card to a member with its MAC is a guess at that card's secret like any other: each one is
     * paid for under the MAC lockout by the user the request names (a cashier creating a member, an importer, a
     * partner), one at a time, before the transaction. Answers the items the lockout refused or whose MAC is wrong.
     */
    private Uni<Map<String, ApiException>> guessed(IssueRequest request) {
        MacGuard.Guesser guesser = guesser(request);
        Map<String, ApiException> refusals = new HashMap<>();
        List<IssueRequest.Item> binding = request.items().stream()
                .filter(item -> item.memberId() != null && item.cardCode() != null
                        && (item.plainMac() || item.hashedMac()))
                .toList();
        return Multi.createFrom().iterable(binding)
                .onItem().transformToUniAndConcatenate(item -> cardRows.findByTenantAndCode(request.tenantId(),
                        item.cardCode()).flatMap(
                                card -> card == null || card.writtenAt() == null
                                        ? Uni.createFrom().voidItem()
                                        : (item.plainMac()
                                                ? verifier.checkSecret(guesser, card, item.mac().trim())
                                                        .replaceWithVoid()
                                                : verifier.checkHashes(guesser, card, item.macHashes()))
                                                .onFailure(ApiException.class).recoverWithUni(e -> {
                                                    refusals.put(item.key(), (ApiException) e);
                                                    return Uni.createFrom().voidItem();
                                                })))
                .collect().last().replaceWith(refusals);
    }

    private Uni<List<IssuedCard>> issue(IssueRequest request, Map<String, ApiException> refusals) {
        long tenantId = request.tenantId();
        return pool.withTransaction(tx -> existing(tx, request).flatMap(found -> classes(tx, request)
                .flatMap(usable -> macsInUse(tx, request).flatMap(macs -> {
                    Map<String, IssuedCard> answers = new LinkedHashMap<>();
                    List<Plan> binds = new ArrayList<>();
                    List<Plan> creates = new ArrayList<>();
                    Map<String, Long> cardOf = new HashMap<>();
                    for (IssueRequest.Item item : request.items()) {
                        answers.put(item.key(), null);
                        ApiException refused = refusals.get(item.key());
                        if (refused != null && found.byKey().get(item.key()) == null) {
                            answers.put(item.key(), IssuedCard.refused(item.key(), refused.status().code(),
                                    refused.getMessage()));
                            continue;
                        }
                        plan(request, item, found, usable, macs, binds, creates, cardOf, answers);
                    }
                    binds.forEach(p -> cardOf.put(p.item().key(), p.existing().id()));
                    return bind(tx, tenantId, binds)
                            .flatMap(ignored -> create(tx, request, creates))
                            .flatMap(created -> {
                                cardOf.putAll(created);
                                // No card.changed events: the issuer learns the cards from this answer, and
                                // their later changes are published as they happen.
                                return log(tx, tenantId, binds, created.values(), request)
                                        .flatMap(nothing -> cardsById(tx, tenantId, cardOf.values()));
                            })
                            .map(byId -> {
                                List<IssuedCard> result = new ArrayList<>();
                                answers.forEach((key, refused) -> result.add(refused != null
                                        ? refused
                                        : IssuedCard.of(key, byId.get(cardOf.get(key)))));
                                long issued = result.stream().filter(r -> r.card() != null).count();
                                LOG.infof("tenant %d: %d cards issued to members, %d refused", tenantId, issued,
                                        result.size() - issued);
                                return result;
                            });
                }))))
                .onFailure(PgErrors::isUniqueViolation)
                .transform(e -> new ApiException(StatusCode.CONFLICT,
                        "some of these cards were issued at the same moment by another request; try again"))
                .call(() -> request.items().size() >= 100
                        ? stats.refresh(List.of("card", "card_log"))
                        : Uni.createFrom().voidItem());
    }

    private static void check(IssueRequest request) {
        Set<String> keys = new HashSet<>();
        Set<Long> members = new HashSet<>();
        Set<String> codes = new HashSet<>();
        for (int i = 0; i < request.items().size(); i++) {
            IssueRequest.Item item = request.items().get(i);
            if (!keys.add(item.key())) {
                throw ApiException.badInput("items[" + i + "].key", "is listed twice");
            }
            if (item.memberId() != null && !members.add(item.memberId())) {
                throw ApiException.badInput("items[" + i + "].memberId", "is listed twice");
            }
            if (item.cardCode() != null && !codes.add(item.cardCode())) {
                throw ApiException.badInput("items[" + i + "].cardCode", "is listed twice");
            }
        }
    }

    private void plan(IssueRequest request, IssueRequest.Item item, Found found, Map<Long, Boolean> usable,
            Set<String> macsInUse, List<Plan> binds, List<Plan> creates, Map<String, Long> cardOf,
            Map<String, IssuedCard> answers) {
        long tenantId = request.tenantId();
        CardRow issued = found.byKey().get(item.key());
        if (issued == null && item.memberId() != null) {
            // A member has one card: one issued before (under another key) is the answer.
            issued = found.byMember().get(item.memberId());
        }
        if (issued != null) {
            cardOf.put(item.key(), issued.id());
            return;
        }
        String hash = item.plainMac()
                ? secrets.hash(tenantId, item.mac().trim())
                : item.hashedMac() ? item.macHashes().get(0) : null;
        if (item.cardCode() != null) {
            CardRow card = found.byCode().get(item.cardCode());
            if (card != null && item.memberId() == null) {
                answers.put(item.key(), IssuedCard.refused(item.key(), StatusCode.BAD_REQUEST.code(),
                        "cardCode: card " + card.code() + " exists already"));
                return;
            }
            if (card != null) {
                String refusal = bindable(card, item, hash, macsInUse);
                if (refusal != null) {
                    answers.put(item.key(), IssuedCard.refused(item.key(), refusalStatus(card, refusal),
                            refusal));
                    return;
                }
                binds.add(new Plan(item, card, card.writtenAt() == null ? hash : null, card.cardClassId()));
                if (hash != null && card.writtenAt() == null) {
                    macsInUse.add(hash);
                }
                return;
            }
            if (!Boolean.TRUE.equals(item.create())) {
                answers.put(item.key(), IssuedCard.refused(item.key(), StatusCode.CARD_NOT_FOUND.code(),
                        "cardCode: no card " + item.cardCode() + " in this tenant"));
                return;
            }
        } else if (item.sendMode() != CardSendMode.VIRTUAL.code() && !Boolean.TRUE.equals(item.create())) {
            answers.put(item.key(), IssuedCard.refused(item.key(), StatusCode.BAD_REQUEST.code(),
                    "cardCode: is required for a physical card"));
            return;
        }
        Long classId = item.cardClassId() != null ? item.cardClassId() : request.cardClassId();
        if (classId == null || !Boolean.TRUE.equals(usable.get(classId))) {
            answers.put(item.key(), IssuedCard.refused(item.key(), StatusCode.BAD_REQUEST.code(),
                    "cardClassId: no usable card class " + classId));
            return;
        }
        if (hash != null && !macsInUse.add(hash)) {
            answers.put(item.key(), IssuedCard.refused(item.key(), StatusCode.BAD_REQUEST.code(),
                    CardService.macRefused().getMessage()));
            return;
        }
        creates.add(new Plan(item, null, hash, classId));
    }

    /** Why {@code card} cannot go to the item's member, or null. */
    private String bindable(CardRow card, IssueRequest.Item item, String hash, Set<String> macsInUse) {
        if (card.memberId() != null) {
            return "cardCode: card " + card.code() + " already belongs to a member";
        }
        if (card.busy()) {
            return "card " + card.code() + " is being replaced or returned";
        }
        if (card.cardStatus() != CardStatus.UNWRITTEN && card.cardStatus() != CardStatus.ACTIVE) {
            return "card " + card.code() + " is " + card.cardStatus().name().toLowerCase() + ": it cannot be issued";
        }
        if (card.writtenAt() != null && hash == null) {
            // Its secret proves the customer's card is there: without it, any card with money could be given to a
            // member of the caller's choosing.
            return "mac: is required: a written card goes to a member with its card secret";
        }
        if (card.writtenAt() != null && hash != null && !matches(card, item)) {
            return "card not found, or its card secret does not match";
        }
        if (card.writtenAt() == null && hash != null && macsInUse.contains(hash)) {
            return CardService.macRefused().getMessage();
        }
        return null;
    }

    /** Whether the item's card secret is the written card's: the secret itself, or one of its hashes. */
    private boolean matches(CardRow card, IssueRequest.Item item) {
        if (item.plainMac()) {
            return secrets.matches(card, item.mac().trim());
        }
        return secrets.matchesAnyHash(card, item.macHashes());
    }

    private static int refusalStatus(CardRow card, String refusal) {
        if (refusal.startsWith("card not found")) {
            return StatusCode.CARD_NOT_FOUND.code();
        }
        if (refusal.startsWith("cardCode:") || refusal.startsWith("mac:")) {
            return StatusCode.BAD_REQUEST.code();
        }
        return card.cardStatus().refusal().code();
    }

    /** The cards the items name, by code; those issued before under the items' keys; the items' members' cards. */
    private record Found(Map<String, CardRow> byCode, Map<String, CardRow> byKey, Map<Long, CardRow> byMember) {
    }

    private static Uni<Found> existing(SqlClient tx, IssueRequest request) {
        String[] codes = request.items().stream().map(IssueRequest.Item::cardCode).filter(c -> c != null)
                .toArray(String[]::new);
        String[] keys = request.items().stream().map(IssueRequest.Item::key).toArray(String[]::new);
        Long[] members = request.items().stream().map(IssueRequest.Item::memberId).filter(m -> m != null)
                .toArray(Long[]::new);
        return tx.preparedQuery("select " + CardRow.COLUMNS + ", c.issue_key" + CardRow.FROM
                + "where c.tenant_id = $1 and (c.code = any($2) or c.issue_key = any($3) or c.member_id = any($4))"
                + " order by c.id for update of c")
                .execute(Tuple.of(request.tenantId(), codes, keys, members))
                .map(rows -> {
                    Map<String, CardRow> byCode = new HashMap<>();
                    Map<String, CardRow> byKey = new HashMap<>();
                    Map<Long, CardRow> byMember = new HashMap<>();
                    for (Row row : rows) {
                        CardRow card = CardRow.of(row);
                        byCode.put(card.code(), card);
                        String key = row.getString("issue_key");
                        if (key != null) {
                            byKey.put(key, card);
                        }
                        if (card.memberId() != null) {
                            byMember.put(card.memberId(), card);
                        }
                    }
                    return new Found(byCode, byKey, byMember);
                });
    }

    /** Which of the card classes the request may use exist in the tenant and are not disabled. */
    private static Uni<Map<Long, Boolean>> classes(SqlClient tx, IssueRequest request) {
        Set<Long> ids = new HashSet<>();
        if (request.cardClassId() != null) {
            ids.add(request.cardClassId());
        }
        request.items().forEach(item -> {
            if (item.cardClassId() != null) {
                ids.add(item.cardClassId());
            }
        });
        return tx.preparedQuery("select id, not disabled from card_class where tenant_id = $1 and id = any($2)")
                .execute(Tuple.of(request.tenantId(), ids.toArray(new Long[0])))
                .map(rows -> {
                    Map<Long, Boolean> usable = new HashMap<>();
                    rows.forEach(row -> usable.put(row.getLong(0), row.getBoolean(1)));
                    return usable;
                });
    }

    /**
     * The items' MACs that other cards of the tenant have already, as the tenant's own hashes: of the secrets sent
     * as such, and of those sent as their hashes (taken when a card keeps any of an item's hashes).
     */
    private Uni<Set<String>> macsInUse(SqlClient tx, IssueRequest request) {
        List<String> macs = request.items().stream().filter(IssueRequest.Item::plainMac)
                .map(i -> i.mac().trim()).distinct().toList();
        List<List<String>> hashed = request.items().stream().filter(IssueRequest.Item::hashedMac)
                .map(IssueRequest.Item::macHashes).toList();
        Uni<Set<String>> byHash = hashed.isEmpty()
                ? Uni.createFrom().item(Set.of())
                : cardRows.macHashesInUse(tx, request.tenantId(),
                        hashed.stream().flatMap(List::stream).distinct().toList(), 0).map(used -> {
                            Set<String> taken = new HashSet<>();
                            hashed.stream().filter(h -> h.stream().anyMatch(used::contains))
                                    .forEach(h -> taken.add(h.get(0)));
                            return taken;
                        });
        return verifier.macsInUse(tx, request.tenantId(), macs, 0).flatMap(taken -> byHash.map(hashedTaken -> {
            Set<String> hashes = new HashSet<>(hashedTaken);
            taken.forEach(mac -> hashes.add(secrets.hash(request.tenantId(), mac)));
            return hashes;
        }));
    }

    private Uni<Void> bind(SqlClient tx, long tenantId, List<Plan> binds) {
        if (binds.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return tx.preparedQuery("""
                update card c set member_id = v.member_id, issue_key = v.key,
                       mac_hash = coalesce(v.mac_hash, c.mac_hash),
                       status = case when v.mac_hash is not null then 2 else c.status end,
                       written_at = case when v.mac_hash is not null then now() else c.written_at end,
                       version = c.version + 1, updated_at = now()
                from unnest($2::bigint[], $3::bigint[], $4::varchar[], $5::varchar[]) as v(id, member_id, key, mac_hash)
                where c.tenant_id = $1 and c.id = v.id""")
                .execute(Tuple.of(tenantId, binds.stream().map(p -> p.existing().id()).toArray(Long[]::new),
                        binds.stream().map(p -> p.item().memberId()).toArray(Long[]::new),
                        binds.stream().map(p -> p.item().key()).toArray(String[]::new),
                        binds.stream().map(Plan::macHash).toArray(String[]::new)))
                .flatMap(ignored -> {
                    Map<Long, Integer> written = new HashMap<>();
                    binds.stream().filter(p -> p.macHash() != null && p.existing().batchOrderId() != null)
                            .forEach(p -> written.merge(p.existing().batchOrderId(), 1, Integer::sum));
                    Uni<Void> chain = Uni.createFrom().voidItem();
                    for (var order : written.entrySet()) {
                        chain = chain.flatMap(nothing -> orders.recordWrites(tx, tenantId, order.getKey(),
                                order.getValue()));
                    }
                    return chain;
                });
    }

    /**
     * Creates the planned cards; answers their ids by item key. Made-up codes that collide are made up again; any
     * other clash (a member, key or MAC taken by a concurrent request) fails the batch, to be run again.
     */
    private Uni<Map<String, Long>> create(SqlClient tx, IssueRequest request, List<Plan> creates) {
        if (creates.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        int n = creates.size();
        OffsetDateTime now = Instant.now().atOffset(ZoneOffset.UTC);
        return tx.preparedQuery("""
                insert into card (tenant_id, code, card_class_id, shop_id, shop_name, status, send_mode, mac_hash,
                                  written_at, member_id, issue_key, expires_at)
                select $1, coalesce(v.code, '8' || lpad(nextval('generated_card_code_seq')::text, 11, '0')),
                       v.class_id, $2, $3, v.status, v.send_mode, v.mac_hash, v.written_at, v.member_id, v.key,
                       v.expires_at
                from unnest($4::varchar[], $5::bigint[], $6::smallint[], $7::smallint[], $8::varchar[],
                            $9::timestamptz[], $10::bigint[], $11::varchar[], $12::timestamptz[])
                     as v(code, class_id, status, send_mode, mac_hash, written_at, member_id, key, expires_at)
                on conflict (tenant_id, code) do nothing returning id, issue_key""")
                .execute(Tuple.from(new Object[]{request.tenantId(), request.shopId(),
                        request.shopName() == null ? "" : request.shopName(),
                        creates.stream().map(p -> p.item().cardCode()).toArray(String[]::new),
                        creates.stream().map(Plan::classId).toArray(Long[]::new),
                        creates.stream().map(p -> (short) createdStatus(p)).toArray(Short[]::new),
                        creates.stream().map(p -> p.item().sendMode().shortValue()).toArray(Short[]::new),
                        creates.stream().map(Plan::macHash).toArray(String[]::new),
                        creates.stream().map(p -> createdStatus(p) == CardStatus.ACTIVE.code() ? now : null)
                                .toArray(OffsetDateTime[]::new),
                        creates.stream().map(p -> p.item().memberId()).toArray(Long[]::new),
                        creates.stream().map(p -> p.item().key()).toArray(String[]::new),
                        creates.stream().map(p -> p.item().expiresAt() == null
                                ? null
                                : Instant.ofEpochMilli(p.item().expiresAt()).atOffset(ZoneOffset.UTC))
                                .toArray(OffsetDateTime[]::new)}))
                .flatMap(rows -> {
                    Map<String, Long> ids = new HashMap<>();
                    for (Row row : rows) {
                        ids.put(row.getString(1), row.getLong(0));
                    }
                    if (ids.size() == n) {
                        return Uni.createFrom().item(ids);
                    }
                    List<Plan> missing = creates.stream().filter(p -> !ids.containsKey(p.item().key())).toList();
                    if (missing.stream().anyMatch(p -> p.item().cardCode() != null)) {
                        // A code the request named was taken by a concurrent request: the batch is retried whole.
                        return Uni.createFrom().failure(new ApiException(StatusCode.CONFLICT,
                                "a card code of this request was taken at the same moment; try again"));
                    }
                    return create(tx, request, missing).map(more -> {
                        ids.putAll(more);
                        return ids;
                    });
                });
    }

    /** A created card is active when it has its MAC or is virtual (it has no chip), else waiting to be written. */
    private static int createdStatus(Plan plan) {
        return plan.macHash() != null || plan.item().sendMode() == CardSendMode.VIRTUAL.code()
                || plan.item().sendMode() == CardSendMode.WECHAT.code()
                        ? CardStatus.ACTIVE.code()
                        : CardStatus.UNWRITTEN.code();
    }

    private static Uni<Void> log(SqlClient tx, long tenantId, List<Plan> binds, java.util.Collection<Long> created,
            IssueRequest request) {
        List<Long> ids = new ArrayList<>(created);
        binds.forEach(p -> ids.add(p.existing().id()));
        if (ids.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return tx.preparedQuery("""
                insert into card_log (tenant_id, card_id, action, remark, user_id, user_name)
                select $1, c.id, 'ISSUED', coalesce('to member ' || c.member_id, 'without a member'), $3, $4 from card c
                where c.tenant_id = $1 and c.id = any($2)""")
                .execute(Tuple.of(tenantId, ids.toArray(new Long[0]), request.userId(),
                        request.userName() == null ? "" : request.userName()))
                .replaceWithVoid();
    }

    private static Uni<Map<Long, CardCheck>> cardsById(SqlClient tx, long tenantId, java.util.Collection<Long> ids) {
        return tx
                .preparedQuery("select " + CardRow.COLUMNS + CardRow.FROM + "where c.tenant_id = $1 and c.id = any($2)")
                .execute(Tuple.of(tenantId, ids.toArray(new Long[0])))
                .map(rows -> {
                    Map<Long, CardCheck> byId = new HashMap<>();
                    for (Row row : rows) {
                        CardCheck card = CardCheck.of(CardRow.of(row));
                        byId.put(card.id(), card);
                    }
                    return byId;
                });
    }

}
