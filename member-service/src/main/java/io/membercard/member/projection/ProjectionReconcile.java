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
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Brings member-service's copy of a tenant's account figures up to payment-service's, whatever events it missed:
 * every account is read page by page and applied where it is newer than the copy; copies of cards that no longer
 * have an account (moved by a replacement) are removed; then the tenant's sums are recomputed from the members.
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
        Set<Long> cards = new HashSet<>();
        int[] counts = new int[2];
        return pages(tenantId, 0, cards, counts)
                .flatMap(ignored -> removeStale(tenantId, cards))
                .flatMap(removed -> pool.withTransaction(tx -> sums.rebuild(tx, tenantId))
                        .replaceWith(new Report(tenantId, counts[0], counts[1], removed)))
                .invoke(report -> LOG.infof("tenant %d: account figures reconciled: %d accounts, %d corrected, %d "
                        + "removed", tenantId, report.accounts(), report.corrected(), report.removed()));
    }

    private Uni<Void> pages(long tenantId, long after, Set<Long> cards, int[] counts) {
        return accounts.page(tenantId, after, PAGE).flatMap(page -> {
            List<JsonNode> list = new ArrayList<>();
            page.forEach(list::add);
            if (list.isEmpty()) {
                return Uni.createFrom().voidItem();
            }
            list.forEach(a -> cards.add(a.path("cardId").asLong()));
            counts[0] += list.size();
            return pool.withTransaction(tx -> Multi.createFrom().iterable(list)
                    .onItem().transformToUniAndConcatenate(account -> apply(tx, tenantId, account))
                    .collect().asList().call(() -> sums.flush(tx)))
                    .flatMap(applied -> {
                        counts[1] += (int) applied.stream().filter(Boolean::booleanValue).count();
                        long last = list.get(list.size() - 1).path("cardId").asLong();
                        return list.size() < PAGE ? Uni.createFrom().voidItem() : pages(tenantId, last, cards, counts);
                    });
        });
    }

    /** One account: its figures where newer than the copy (with its points' expiry); answers whether it was. */
    private Uni<Boolean> apply(SqlConnection tx, long tenantId, JsonNode account) {
        long cardId = account.path("cardId").asLong();
        long version = Long.parseLong(account.path("timestamp").asText("0"));
        return store.lock(tx, tenantId, cardId).flatMap(kept -> {
            if (version <= kept.version()) {
                return Uni.createFrom().item(false);
            }
            var expiry = mapper.convertValue(account.path("pointsDisabledDate"), java.time.Instant.class);
            return events.apply(tx, tenantId, cardId, 0, version, Figures.of(account))
                    .flatMap(ignored -> tx.preparedQuery("""
                            update account_projection set points_disabled_at = $3, points_version = $4
                            where tenant_id = $1 and card_id = $2""")
                            .execute(Tuple.of(tenantId, cardId, io.membercard.member.member.CardTimes.at(expiry),
                                    version)))
                    .replaceWith(true);
        });
    }

    /** Copies of cards payment-service has no account for any more: their figures go (the sums are rebuilt). */
    private Uni<Integer> removeStale(long tenantId, Set<Long> cards) {
        return pool.preparedQuery("""
                delete from account_projection where tenant_id = $1 and version > 0 and not (card_id = any($2))
                returning card_id""")
                .execute(Tuple.of(tenantId, cards.toArray(new Long[0])))
                .map(rows -> {
                    List<Long> removed = new ArrayList<>();
                    for (Row row : rows) {
                        removed.add(row.getLong(0));
                    }
                    return removed.size();
                });
    }
}
