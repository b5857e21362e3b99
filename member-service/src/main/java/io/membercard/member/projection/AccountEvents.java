package io.membercard.member.projection;

import java.util.ArrayList;
import java.util.HashMap;
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

    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(AccountEvents.class);

    private final ProjectionStore store;
    private final SumsKeeper sums;
    private final io.micrometer.core.instrument.Counter drift;

    public AccountEvents(ProjectionStore store, SumsKeeper sums, io.micrometer.core.instrument.MeterRegistry registry) {
        this.store = store;
        this.sums = sums;
        this.drift = registry.counter("membercard.member.projection.drifted");
    }

    @Override
    public boolean handles(String type) {
        return CHANGED.equals(type) || POINTS_EXPIRY.equals(type);
    }

    /** A card whose figures a batch changes: its tenant and id. */
    record CardKey(long tenantId, long cardId) {
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
        List<ProjectionStore.Write> candidates = new ArrayList<>();
        latest.forEach((card, e) -> candidates.add(new ProjectionStore.Write(card.tenantId(), card.cardId(),
                e.payload().path("accountId").asLong(), e.payload().path("version").asLong(),
                Figures.of(e.payload()))));
        return store.lockAll(tx, all.stream().map(c -> new long[]{c.tenantId(), c.cardId()}).toList())
                .flatMap(kept -> write(tx, kept, candidates, left, false))
                .flatMap(ignored -> expire(tx, expiries));
    }

    /**
     * Writes each candidate's figures where newer than those kept (the rows {@code kept}, locked), removes the
     * copies of the cards {@code left} behind, and moves the differences into their members' sums; answers how
     * many figures were written. With {@code repairDrift} (a reconciliation against payment-service's own figures),
     * a copy at the same version with other figures is a copy that drifted: it is logged, counted and written too.
     */
    Uni<Integer> write(SqlConnection tx, Map<String, ProjectionStore.Locked> kept,
            List<ProjectionStore.Write> candidates, Set<CardKey> left, boolean repairDrift) {
        List<ProjectionStore.Write> writes = new ArrayList<>();
        Map<CardKey, Figures> deltas = new LinkedHashMap<>();
        for (CardKey card : left) {
            deltas.put(card, kept.get(card.tenantId() + ":" + card.cardId()).figures().negate());
        }
        for (ProjectionStore.Write candidate : candidates) {
            ProjectionStore.Locked locked = kept.get(candidate.tenantId() + ":" + candidate.cardId());
            boolean drifted = repairDrift && candidate.version() == locked.version()
                    && !candidate.figures().equals(locked.figures());
            if (drifted) {
                drift.increment();
                LOG.errorf("reconcile: tenant %d card %d: the copy of its account figures at version %d was %s, "
                        + "payment-service has %s; copied again", candidate.tenantId(), candidate.cardId(),
                        candidate.version(), locked.figures(), candidate.figures());
            }
            if (candidate.version() > locked.version() || drifted) {
                writes.add(candidate);
                deltas.put(new CardKey(candidate.tenantId(), candidate.cardId()),
                        candidate.figures().minus(locked.figures()));
            }
        }
        return store.writeAll(tx, writes)
                .flatMap(ignored -> store.removeAll(tx, left.stream()
                        .map(c -> new long[]{c.tenantId(), c.cardId()}).toList()))
                .flatMap(ignored -> store.membersOf(tx, deltas.keySet().stream()
                        .map(c -> new long[]{c.tenantId(), c.cardId()}).toList()))
                .flatMap(members -> {
                    Map<Long, SumsKeeper.Changes> changes = new HashMap<>();
                    deltas.forEach((card, delta) -> {
                        ProjectionStore.MemberGroup member = members.get(card.tenantId() + ":" + card.cardId());
                        if (member != null && member.status() == 1 && !delta.isZero()) {
                            SumsKeeper.of(changes, card.tenantId()).add(member.group(), 0, delta);
                        }
                    });
                    return sums.applyAll(tx, changes);
                })
                .replaceWith(writes.size());
    }

    /** The points' expiry of each event, where it is not older than the one kept. */
    private Uni<Void> expire(SqlConnection tx, List<Event> expiries) {
        return store.expireAll(tx, expiries.stream().map(e -> new ProjectionStore.Expiry(e.tenantId(),
                e.payload().path("cardId").asLong(), CardTimes.at(e.payload().path("pointsDisabledAt")),
                e.payload().path("version").asLong())).toList());
    }

    /** One event, as a batch of one. */
    @Override
    public Uni<Void> handle(SqlConnection tx, Event event) {
        return handleAll(tx, List.of(event));
    }
}
