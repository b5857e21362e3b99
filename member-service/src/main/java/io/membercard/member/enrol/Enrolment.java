package io.membercard.member.enrol;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.membercard.common.api.ApiException;
import io.membercard.common.api.StatusCode;
import io.membercard.common.db.PgErrors;
import io.membercard.common.db.TableStats;
import io.membercard.common.money.Money;
import io.membercard.common.security.Operator;
import io.membercard.member.client.AccountClient;
import io.membercard.member.client.CardClient;
import io.membercard.member.client.CardInfo;
import io.membercard.member.member.MemberRepository;
import io.membercard.member.projection.SumsKeeper;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Enrols many members at once (imports, partner issuing), as a saga whose every step is idempotent: the members are
 * recorded as being created under their source keys, card-service issues their cards (keyed by the same source
 * keys), payment-service gives the cards their opening balances (one per account, ever), and then they become
 * members. A step that fails fails the batch, which is simply run again: whatever was done is found and not done
 * twice, so a batch never ends half-done once it has run to the end.
 */
@ApplicationScoped
public class Enrolment {
    public static final int MAX_ROWS = 1000;
    private static final Logger LOG = Logger.getLogger(Enrolment.class);

    private final Pool pool;
    private final MemberRepository members;
    private final CardClient cards;
    private final AccountClient accounts;
    private final SumsKeeper sums;
    private final ObjectMapper mapper;
    private final TableStats stats;

    public Enrolment(Pool pool, MemberRepository members, CardClient cards, AccountClient accounts, SumsKeeper sums,
            ObjectMapper mapper, TableStats stats) {
        this.stats = stats;
        this.pool = pool;
        this.members = members;
        this.cards = cards;
        this.accounts = accounts;
        this.sums = sums;
        this.mapper = mapper;
    }

    /** Who enrols, into which shop, with which card class for the cards it creates. */
    public record Context(Operator operator, long shopId, String shopName, long cardClassId) {
    }

    /** A member being created for a row, with its id. */
    private record Pending(EnrolRow row, long memberId) {
    }

    /**
     * Enrols {@code rows} (at most {@value #MAX_ROWS}, with distinct source keys); answers one result per row, in
     * order. Fails, changing nothing that a repeat would not finish, when another service cannot be reached.
     */
    public Uni<List<EnrolResult>> enrol(Context context, List<EnrolRow> rows) {
        if (rows.size() > MAX_ROWS) {
            throw new IllegalArgumentException("at most " + MAX_ROWS + " rows a batch");
        }
        long tenantId = context.operator().tenantId();
        Map<String, EnrolResult> results = new LinkedHashMap<>();
        rows.forEach(row -> results.put(row.sourceKey(), null));
        return existing(tenantId, rows).flatMap(found -> {
            List<EnrolRow> fresh = new ArrayList<>();
            Map<String, Long> resumed = new HashMap<>();
            for (EnrolRow row : rows) {
                Row member = found.get(row.sourceKey());
                if (member == null) {
                    fresh.add(row);
                } else if (member.getShort("status") == 0) {
                    resumed.put(row.sourceKey(), member.getLong("id"));
                } else {
                    results.put(row.sourceKey(), new EnrolResult(row.sourceKey(), EnrolResult.Outcome.EXISTING,
                            member.getLong("id"), member.getLong("card_id"), member.getString("card_code"), null));
                }
            }
            return phonesTaken(tenantId, fresh).flatMap(taken -> {
                List<EnrolRow> insert = new ArrayList<>();
                Set<String> phones = new HashSet<>();
                for (EnrolRow row : fresh) {
                    String phone = row.profile().phone();
                    if (phone != null && (taken.contains(phone) || !phones.add(phone))) {
                        results.put(row.sourceKey(), EnrolResult.rejected(row.sourceKey(),
                                "phone: belongs to another member already"));
                    } else {
                        insert.add(row);
                    }
                }
                return insertPending(context, insert).map(ids -> {
                    List<Pending> pending = new ArrayList<>();
                    for (EnrolRow row : rows) {
                        Long id = resumed.containsKey(row.sourceKey())
                                ? resumed.get(row.sourceKey())
                                : ids.get(row.sourceKey());
                        if (id != null) {
                            pending.add(new Pending(row, id));
                        }
                    }
                    return pending;
                });
            }).flatMap(pending -> issue(context, pending, results)).flatMap(issued -> open(context, issued)
                    .flatMap(ignored -> activate(context, issued, results)))
                    .call(() -> rows.size() >= 100
                            ? stats.refresh(List.of("member", "account_projection"))
                            : Uni.createFrom().voidItem())
                    .map(ignored -> {
                        List<EnrolResult> answer = new ArrayList<>(results.values());
                        LOG.infof("tenant %d: %d members enrolled, %d existing, %d rejected", tenantId,
                                count(answer, EnrolResult.Outcome.CREATED), count(answer, EnrolResult.Outcome.EXISTING),
                                count(answer, EnrolResult.Outcome.REJECTED));
                        return answer;
                    });
        });
    }

    private static long count(List<EnrolResult> results, EnrolResult.Outcome outcome) {
        return results.stream().filter(r -> r.outcome() == outcome).count();
    }

    /** The members enrolled before under the rows' keys, by key. */
    private Uni<Map<String, Row>> existing(long tenantId, List<EnrolRow> rows) {
        return pool.preparedQuery("""
                select source_key, id, status, card_id, card_code from member
                where tenant_id = $1 and source_key = any($2)""")
                .execute(Tuple.of(tenantId, rows.stream().map(EnrolRow::sourceKey).toArray(String[]::new)))
                .map(found -> {
                    Map<String, Row> byKey = new HashMap<>();
                    found.forEach(row -> byKey.put(row.getString("source_key"), row));
                    return byKey;
                });
    }

    /** Which of the rows' phones other members of the tenant have. */
    private Uni<Set<String>> phonesTaken(long tenantId, List<EnrolRow> rows) {
        String[] phones = rows.stream().map(r -> r.profile().phone()).filter(p -> p != null).toArray(String[]::new);
        if (phones.length == 0) {
            return Uni.createFrom().item(Set.of());
        }
        return pool.preparedQuery("select phone from member where tenant_id = $1 and phone = any($2) and status < 2")
                .execute(Tuple.of(tenantId, phones))
                .map(found -> {
                    Set<String> taken = new HashSet<>();
                    found.forEach(row -> taken.add(row.getString(0)));
                    return taken;
                });
    }

    /** Records the rows' members as being created; answers their ids by source key. */
    private Uni<Map<String, Long>> insertPending(Context context, List<EnrolRow> rows) {
        if (rows.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        long tenantId = context.operator().tenantId();
        return members.nextIds(pool, rows.size()).flatMap(ids -> members.insertPending(pool, tenantId,
                context.shopId(), ids, rows.stream().map(EnrolRow::profile).toList(),
                rows.stream().map(EnrolRow::sourceKey).toList())
                .onFailure(PgErrors::isUniqueViolation)
                .transform(e -> new ApiException(StatusCode.CONFLICT,
                        "some of these members were enrolled at the same moment by another request; try again"))
                .map(ignored -> {
                    Map<String, Long> byKey = new HashMap<>();
                    for (int i = 0; i < rows.size(); i++) {
                        byKey.put(rows.get(i).sourceKey(), ids.get(i));
                    }
                    return byKey;
                }));
    }

    /** A member whose card was issued. */
    private record Issued(Pending pending, CardInfo card) {
    }

    /** Asks card-service for the members' cards; a refused card's member is removed and its row rejected. */
    private Uni<List<Issued>> issue(Context context, List<Pending> pending, Map<String, EnrolResult> results) {
        if (pending.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        Operator operator = context.operator();
        List<CardClient.Item> items = pending.stream().map(p -> new CardClient.Item(p.row().sourceKey(),
                p.memberId(), p.row().cardCode(), p.row().mac(), p.row().sendMode(), null, true,
                p.row().expiresAt(), p.row().macHashes())).toList();
        return cards.issue(new CardClient.Issue(operator.tenantId(), context.shopId(), context.shopName(),
                context.cardClassId(), operator.userId(), operator.userName(), items)).flatMap(answer -> {
                    if (!answer.done()) {
                        return Uni.createFrom().failure(answer.failure("card service"));
                    }
                    Map<String, JsonNode> byKey = new HashMap<>();
                    answer.data().forEach(item -> byKey.put(item.path("key").asText(), item));
                    List<Issued> issued = new ArrayList<>();
                    List<Long> refused = new ArrayList<>();
                    for (Pending p : pending) {
                        JsonNode item = byKey.get(p.row().sourceKey());
                        JsonNode card = item == null ? null : CardClient.cardOf(item);
                        if (card == null) {
                            refused.add(p.memberId());
                            results.put(p.row().sourceKey(), EnrolResult.rejected(p.row().sourceKey(),
                                    item == null ? "the card was not issued" : item.path("message").asText()));
                        } else {
                            issued.add(new Issued(p, mapper.convertValue(card, CardInfo.class)));
                        }
                    }
                    return refused.isEmpty()
                            ? Uni.createFrom().item(issued)
                            : pool.preparedQuery("delete from member where tenant_id = $1 and id = any($2) and "
                                    + "status = 0").execute(Tuple.of(operator.tenantId(), refused.toArray(new Long[0])))
                                    .replaceWith(issued);
                });
    }

    /**
     * The cards' accounts open, with their opening balances where they bring money or points (payment-service gives
     * each account one opening, ever), in one call.
     */
    private Uni<Void> open(Context context, List<Issued> issued) {
        List<Issued> bringing = issued;
        if (bringing.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        Operator operator = context.operator();
        ObjectNode request = mapper.createObjectNode();
        request.putObject("actor").put("tenantId", operator.tenantId()).put("shopId", context.shopId())
                .put("userId", operator.userId()).put("userName", operator.userName());
        ArrayNode items = request.putArray("items");
        for (Issued i : bringing) {
            EnrolRow row = i.pending().row();
            items.addObject().put("cardId", i.card().id()).put("cardCode", i.card().code())
                    .put("actual", money(row.actual())).put("give", money(row.give())).put("points", row.points())
                    .put("pointsValidDays", i.card().pointsValidDays()).put("billNo", row.sourceKey())
                    .put("remark", "opening balance");
        }
        return accounts.openings(request).flatMap(answer -> answer.done()
                ? Uni.createFrom().voidItem()
                : Uni.createFrom().failure(answer.failure("balance service")));
    }

    /** The members become members, with their cards, in the sums (their accounts are open already). */
    private Uni<Void> activate(Context context, List<Issued> issued, Map<String, EnrolResult> results) {
        if (issued.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        long tenantId = context.operator().tenantId();
        return pool.withTransaction(tx -> members.activate(tx, tenantId,
                issued.stream().map(i -> i.pending().memberId()).toList(), issued.stream().map(Issued::card).toList())
                .flatMap(activated -> sums.join(tx, tenantId, activated)))
                .invoke(() -> issued.forEach(i -> results.put(i.pending().row().sourceKey(), new EnrolResult(
                        i.pending().row().sourceKey(), EnrolResult.Outcome.CREATED, i.pending().memberId(),
                        i.card().id(), i.card().code(), null))));
    }

    private static BigDecimal money(BigDecimal value) {
        return value == null ? Money.ZERO : value;
    }
}
