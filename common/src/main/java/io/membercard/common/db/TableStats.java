package io.membercard.common.db;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Keeps the planner's statistics up with bulk writes. After an import chunk or a large batch a table may have grown
 * far beyond what its statistics say (autovacuum analyzes at most once a minute): the planner then believes a
 * tenant has a handful of rows and scans them all instead of probing the index, which makes every next chunk slower
 * than the last. A bulk writer calls {@link #refresh} afterwards: a table changed by more than a fifth since its
 * last analysis (and by more than 1,000 rows) is analyzed now, once at a time.
 */
@ApplicationScoped
public class TableStats {
    private static final Logger LOG = Logger.getLogger(TableStats.class);
    private static final long MIN_CHANGES = 1000;

    private final Pool pool;
    private final Set<String> running = ConcurrentHashMap.newKeySet();

    public TableStats(Pool pool) {
        this.pool = pool;
    }

    /** Analyzes those of {@code tables} (of this service's schema) whose statistics are stale. */
    public Uni<Void> refresh(List<String> tables) {
        return pool.preparedQuery("""
                select s.relname from pg_stat_user_tables s join pg_class c on c.oid = s.relid
                where s.schemaname = current_schema() and s.relname = any($1)
                and s.n_mod_since_analyze > greatest($2, 0.2 * greatest(c.reltuples, 0))""")
                .execute(Tuple.of(tables.toArray(new String[0]), MIN_CHANGES))
                .flatMap(rows -> {
                    List<String> stale = new java.util.ArrayList<>();
                    for (Row row : rows) {
                        String table = row.getString(0);
                        if (running.add(table)) {
                            stale.add(table);
                        }
                    }
                    return Multi.createFrom().iterable(stale)
                            .onItem().transformToUniAndConcatenate(table -> pool.query("analyze " + table).execute()
                                    .onTermination().invoke(() -> running.remove(table))
                                    .invoke(() -> LOG.debugf("statistics of %s refreshed", table)))
                            .collect().last().replaceWithVoid();
                })
                .onFailure().recoverWithItem(e -> {
                    LOG.warnf("refreshing table statistics failed: %s", e.getMessage());
                    return null;
                });
    }
}
