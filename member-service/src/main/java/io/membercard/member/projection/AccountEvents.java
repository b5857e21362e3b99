package io.membercard.member.projection;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;

import io.membercard.common.events.Event;
import io.membercard.common.events.EventHandler;
import io.membercard.member.member.CardTimes;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * payment-service's account events keep the figures member views and list sums show: {@code account.changed}
 * (the account's figures after a change; an older version than the one kept is ignored, so a repeat or a late event
 * changes nothing) and {@code account.points-expiry}. A replacement moves an account to another card: the old
 * card's figures go with it.
 */
@ApplicationScoped
public class AccountEvents implements EventHandler {
    static final String CHANGED = "account.changed";
    static final String POINTS_EXPIRY = "account.points-expiry";

    private final ProjectionStore store;
    private final SumsKeeper sums;

    public AccountEvents(ProjectionStore store, SumsKeeper sums) {
        this.store = store;
        this.sums = sums;
    }

    @Override
    public boolean handles(String type) {
        return CHANGED.equals(type) || POINTS_EXPIRY.equals(type);
    }

    @Override
    public Uni<Void> flush(SqlConnection tx) {
        return sums.flush(tx);
    }

    /** A card whose figures a batch changes: its tenant and id. */
    private record CardKey(long tenantId, long cardId) {
    }

    /**
     * The batch in a few statements, whatever its size, with the outcome of handling its events one by one: each
     * account's newest figures go to the card it serves now, the cards it left lose theirs, and the members' sums
     * take the differences.
     */
    @Override
    public Uni<Void> handleAll(SqlConnection tx, List<Event> events) {
        Map<String, Event> newest = new LinkedHashMap<>();
        Set<CardKey> left = new LinkedHashSet<>();
        List<Event> expiries = new ArrayList<>();
        for (Event event : events) {
            if (POINTS_EXPIRY.equals(event.type())) {
                expiries.add(event);
                continue;
            }
            JsonNode p = event.payload();
            String account = event.tenantId() + ":" + p.path("accountId").asLong();
            Event kept = newest.get(account);
            if (kept == null || kept.payload().path("version").asLong() < p.path("version").asLong()) {
                newest.put(account, event);
            }
            if (p.path("previousCardId").isNumber()) {
                left.add(new CardKey(event.tenantId(), p.path("previousCardId").asLong()));
            }
        }
        Map<CardKey, Event> latest = new LinkedHashMap<>();
        newest.values().forEach(e -> latest.put(new CardKey(e.tenantId(), e.payload().path("cardId").asLong()), e));
        left.removeAll(latest.keySet());
        Set<CardKey> all = new LinkedHashSet<>(latest.keySet());
        all.addAll(left);
        if (all.isEmpty()) {
            return expire(tx, expiries);
        }
        return store.lockAll(tx, all.stream().map(c -> new long[]{c.tenantId(), c.cardId()}).toList())
                .flatMap(kept -> {
                    List<ProjectionStore.Write> writes = new ArrayList<>();
                    Map<CardKey, Figures> deltas = new LinkedHashMap<>();
                    for (CardKey card : left) {
                        ProjectionStore.Locked locked = kept.get(card.tenantId() + ":" + card.cardId());
                        deltas.put(card, locked.figures().negate());
                    }
                    latest.forEach((card, event) -> {
                        ProjectionStore.Locked locked = kept.get(card.tenantId() + ":" + card.cardId());
                        JsonNode p = event.payload();
                        long version = p.path("version").asLong();
                        if (version > locked.version()) {
                            Figures now = Figures.of(p);
                            writes.add(new ProjectionStore.Write(card.tenantId(), card.cardId(),
                                    p.path("accountId").asLong(),
                                    version, now));
                            deltas.put(card, now.minus(locked.figures()));
                        }
                    });
                    return store.writeAll(tx, writes)
                            .flatMap(ignored -> store.removeAll(tx, left.stream()
                                    .map(c -> new long[]{c.tenantId(), c.cardId()}).toList()))
                            .flatMap(ignored -> store.membersOf(tx, deltas.keySet().stream()
                                    .map(c -> new long[]{c.tenantId(), c.cardId()}).toList()))
                            .flatMap(members -> {
                                Uni<Void> chain = Uni.createFrom().voidItem();
                                for (var entry : deltas.entrySet()) {
                                    ProjectionStore.MemberGroup member = members.get(entry.getKey().tenantId() + ":"
                                            + entry.getKey().cardId());
                                    if (member != null && member.status() == 1 && !entry.getValue().isZero()) {
                                        long tenant = entry.getKey().tenantId();
                                        SumsKeeper.Changes change = new SumsKeeper.Changes().add(member.group(), 0,
                                                entry.getValue());
                                        chain = chain.flatMap(nothing -> sums.defer(tx, tenant, change));
                                    }
                                }
                                return chain;
                            })
                            .flatMap(ignored -> expire(tx, expiries));
                });
    }

    /** The points' expiry of each event, where it is not older than the one kept. */
    private Uni<Void> expire(SqlConnection tx, List<Event> expiries) {
        if (expiries.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return tx.preparedQuery("""
                update account_projection p set points_disabled_at = v.at, points_version = v.version
                from unnest($1::bigint[], $2::bigint[], $3::timestamptz[], $4::bigint[]) as v(tenant_id, card_id, at,
                     version)
                where p.tenant_id = v.tenant_id and p.card_id = v.card_id and p.points_version <= v.version""")
                .execute(Tuple.of(expiries.stream().map(Event::tenantId).toArray(Long[]::new),
                        expiries.stream().map(e -> e.payload().path("cardId").asLong()).toArray(Long[]::new),
                        expiries.stream().map(e -> CardTimes.at(e.payload().path("pointsDisabledAt")))
                                .toArray(java.time.OffsetDateTime[]::new),
                        expiries.stream().map(e -> e.payload().path("version").asLong()).toArray(Long[]::new)))
                .replaceWithVoid();
    }

    @Override
    public Uni<Void> handle(SqlConnection tx, Event event) {
        JsonNode p = event.payload();
        long tenantId = event.tenantId();
        if (POINTS_EXPIRY.equals(event.type())) {
            return tx.preparedQuery("""
                    update account_projection set points_disabled_at = $3, points_version = $4
                    where tenant_id = $1 and card_id = $2 and points_version <= $4""")
                    .execute(Tuple.of(tenantId, p.path("cardId").asLong(), CardTimes.at(p.path("pointsDisabledAt")),
                            p.path("version").asLong()))
                    .replaceWithVoid();
        }
        long cardId = p.path("cardId").asLong();
        JsonNode previous = p.path("previousCardId");
        Uni<Void> moved = previous.isNumber() ? leave(tx, tenantId, previous.asLong()) : Uni.createFrom().voidItem();
        return moved.flatMap(ignored -> apply(tx, tenantId, cardId, p.path("accountId").asLong(),
                p.path("version").asLong(), Figures.of(p)));
    }

    /** The figures of a card (newer than those kept), into its member's sums as the difference. */
    public Uni<Void> apply(SqlConnection tx, long tenantId, long cardId, long accountId, long version, Figures now) {
        return store.lock(tx, tenantId, cardId).flatMap(kept -> {
            if (version <= kept.version()) {
                return Uni.createFrom().voidItem();
            }
            return store.write(tx, tenantId, cardId, accountId, version, now)
                    .flatMap(ignored -> store.memberOf(tx, tenantId, cardId))
                    .flatMap(member -> member == null || member.status() != 1
                            ? Uni.createFrom().voidItem()
                            : sums.defer(tx, tenantId, new SumsKeeper.Changes().add(member.group(), 0,
                                    now.minus(kept.figures()))));
        });
    }

    /** A card whose account moved to another card: its figures leave its member's sums. */
    private Uni<Void> leave(SqlConnection tx, long tenantId, long cardId) {
        return store.lock(tx, tenantId, cardId).flatMap(kept -> store.memberOf(tx, tenantId, cardId)
                .flatMap(member -> member == null || member.status() != 1
                        ? Uni.createFrom().voidItem()
                        : sums.defer(tx, tenantId, new SumsKeeper.Changes().add(member.group(), 0,
                                kept.figures().negate())))
                .flatMap(ignored -> store.remove(tx, tenantId, cardId)));
    }
}
