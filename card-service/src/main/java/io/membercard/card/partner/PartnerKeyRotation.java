package io.membercard.card.partner;

import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Seals every partner secret again under the current partner key (the first of {@code membercard.card.partner-keys})
 * at start and every hour, so that an operator who rotates the key can drop the old one once the log says the
 * rotation is complete. Each row is replaced only if it is still the one read (another replica may be at it too).
 */
@ApplicationScoped
public class PartnerKeyRotation {
    private static final Logger LOG = Logger.getLogger(PartnerKeyRotation.class);

    private final Pool pool;
    private final PartnerSecrets secrets;

    public PartnerKeyRotation(Pool pool, PartnerSecrets secrets) {
        this.pool = pool;
        this.secrets = secrets;
    }

    @Scheduled(every = "1h", delayed = "10s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        return rotate().onFailure().recoverWithItem(e -> {
            LOG.errorf("partner key rotation failed: %s", e.getMessage());
            return 0;
        }).replaceWithVoid();
    }

    /** How many partner secrets the current key did not seal. */
    public Uni<Long> left() {
        return pool.query("select secret from partner").execute().map(rows -> {
            long left = 0;
            for (var row : rows) {
                if (!secrets.isCurrent(row.getString(0))) {
                    left++;
                }
            }
            return left;
        });
    }

    /** Seals again what the current key did not seal; answers how many secrets it sealed again. */
    public Uni<Integer> rotate() {
        return pool.query("select id, secret from partner").execute().flatMap(rows -> {
            List<String[]> due = new ArrayList<>();
            rows.forEach(row -> {
                if (!secrets.isCurrent(row.getString("secret"))) {
                    due.add(new String[]{row.getString("id"), row.getString("secret")});
                }
            });
            if (due.isEmpty()) {
                return Uni.createFrom().item(0);
            }
            return Multi.createFrom().iterable(due)
                    .onItem().transformToUniAndConcatenate(row -> Uni.createFrom()
                            .item(() -> secrets.seal(secrets.open(row[1])))
                            .flatMap(resealed -> pool.preparedQuery(
                                    "update partner set secret = $3 where id = $1 and secret = $2")
                                    .execute(Tuple.of(row[0], row[1], resealed)))
                            .map(updated -> updated.rowCount())
                            .onFailure().recoverWithItem(e -> {
                                // One unreadable secret must not keep the others under an old key.
                                LOG.errorf("partner key rotation: the secret of partner %s cannot be sealed again: %s",
                                        row[0], e.getMessage());
                                return 0;
                            }))
                    .collect().asList()
                    .flatMap(counts -> left().map(left -> {
                        int sealed = counts.stream().mapToInt(Integer::intValue).sum();
                        // What the database holds now, not what this run did: another replica may have a key list
                        // of its own during a rolling deploy.
                        LOG.infof("partner key rotation: %d partner secrets sealed again under the current key; %s",
                                sealed, left == 0
                                        ? "none is left under an older key"
                                        : left + " are still under an older key: keep it");
                        return sealed;
                    }));
        });
    }
}
