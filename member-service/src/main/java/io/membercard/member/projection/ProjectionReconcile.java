package io.membercard.member.projection;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.membercard.member.client.AccountClient;
import io.membercard.member.member.CardTimes;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Brings member-service's copy of a tenant's account figures up to payment-service's, whatever events it missed:
 * every account is read page by page and applied where it is newer than the copy, or where the copy at the same
 * version has other figures (a copy that drifted: logged with the tenant and card, and counted in
 * {@code membercard_member_projection_drifted_total}); copies of cards that no longer have an account are removed;
 * each step moves the differences into the members' sums, and then the tenant's sums are recomputed from the
 * members (whatever else drifted). {@link ProjectionReconcileJob} runs it for every tenant by itself.
 */
@ApplicationScoped
public class ProjectionReconcile {
    private static final int PAGE = 1000;
    private static final Logger LOG = Logger.getLogger(ProjectionReconcile.class);

    private final Pool pool;
    private final AccountClient accounts;
    private final AccountEvents events;
    private final ProjectionStore store;
    private final SumsKeeper sums;
    private final ObjectMapper mapper;

    public ProjectionReconcile(Pool pool, AccountClient accounts, AccountEvents events, ProjectionStore store,
            SumsKeeper sums, ObjectMapper mapper) {
        this.pool = pool;
        this.accounts = accounts;
        this.events = events;
        this.store = store;
        this.sums = sums;
        this.mapper = mapper;
    }

    /** What a reconciliation found. */
    public record Report(long tenantId, int accounts, int corrected, int removed) {
    }

    public Uni<Report> reconcile(long tenantId) {
        return reconcile(tenantId, Uni.createFrom().voidItem());
    }

    /** As {@link #reconcile(long)}, subscribing to {@code beforePage} before each page (a job renews its lease). */
    public Uni<Report> reconcile(long tenantId, Uni<Void> beforePage) {
        Set<Long> cards = new HashSet<>();
        int[] counts = new int[2];
        return pages(tenantId, 0, cards, counts, beforePage)
                .flatMap(ignored -> removeStale(tenantId, cards))
                .flatMap(removed -> pool.withTransaction(tx -> sums.rebuild(tx, tenantId))
                        .replaceWith(new Report(tenantId, counts[0], counts[1], removed)))
                .invoke(report -> LOG.infof("tenant %d: account figures reconciled: %d accounts, %d corrected, %d "
                        + "removed", tenantId, report.accounts(), report.corrected(), report.removed()));
    }

    private Uni<Void> pages(long tenantId, long after, Set<Long> cards, int[] counts, Uni<Void> beforePage) {
        return beforePage.flatMap(ignored -> accounts.page(tenantId, after, PAGE)).flatMap(page -> {
            List<JsonNode> list = new ArrayList<>();
            page.forEach(list::add);
            if (list.isEmpty()) {
                return Uni.createFrom().voidItem();
            }
            list.forEach(a -> cards.add(a.path("cardId").asLong()));
            counts[0] += list.size();
            return pool.withTransaction(tx -> apply(tx, tenantId, list))
                    .flatMap(applied -> {
                        counts[1] += applied;
                        long last = list.get(list.size() - 1).path("cardId").asLong();
                        return list.size() < PAGE
                                ? Uni.createFrom().voidItem()
                                : pages(tenantId, last, cards, counts, beforePage);
                    });
        });
    }

    /**
     * A page of accounts, as account events would bring them: the figures of each that is newer than the copy (into
     * the members' sums, so that a reconciliation stopped part-way leaves them right), with its points' expiry;
     * answers how many were newer.
     */
    private Uni<Integer> apply(SqlConnection tx, long tenantId, List<JsonNode> accounts) {
        List<ProjectionStore.Write> candidates = new ArrayList<>();
        List<ProjectionStore.Expiry> expiries = new ArrayList<>();
        for (JsonNode account : accounts) {
            long cardId = account.path("cardId").asLong();
            long version = Long.parseLong(account.path("timestamp").asText("0"));
            candidates.add(new ProjectionStore.Write(tenantId, cardId, 0, version, Figures.of(account)));
            expiries.add(new ProjectionStore.Expiry(tenantId, cardId, CardTimes.at(mapper.convertValue(
                    account.path("pointsDisabledDate"), java.time.Instant.class)), version));
        }
        return store.lockAll(tx, candidates.stream().map(c -> new long[]{tenantId, c.cardId()}).toList())
                .flatMap(kept -> events.write(tx, kept, candidates, Set.of(), true))
                .call(() -> store.expireAll(tx, expiries));
    }

    /**
     * Copies of cards payment-service has no account for any more: their figures leave the members' sums and the
     * copies go, in one transaction.
     */
    private Uni<Integer> removeStale(long tenantId, Set<Long> cards) {
        return pool.withTransaction(tx -> tx.preparedQuery("""
                select card_id from account_projection where tenant_id = $1 and version > 0
                and not (card_id = any($2))""")
                .execute(Tuple.of(tenantId, cards.toArray(new Long[0])))
                .flatMap(rows -> {
                    Set<AccountEvents.CardKey> stale = new java.util.LinkedHashSet<>();
                    for (Row row : rows) {
                        stale.add(new AccountEvents.CardKey(tenantId, row.getLong(0)));
                    }
                    if (stale.isEmpty()) {
                        return Uni.createFrom().item(0);
                    }
                    return store.lockAll(tx, stale.stream().map(c -> new long[]{tenantId, c.cardId()}).toList())
                            .flatMap(kept -> events.write(tx, kept, List.of(), stale, false))
                            .replaceWith(stale.size());
                }));
    }
}
