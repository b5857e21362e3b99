package io.membercard.payment.account;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Ledger entry ids, taken from the sequence a block at a time: an entry's id is known before it is written, so the
 * entry, the account's new figures and the event that carries both go to the database in one statement.
 */
@ApplicationScoped
public class LedgerIds {
    private static final int BLOCK = 100;
    private final ConcurrentLinkedQueue<Long> free = new ConcurrentLinkedQueue<>();

    public Uni<Long> next(SqlClient client) {
        Long id = free.poll();
        if (id != null) {
            return Uni.createFrom().item(id);
        }
        return client.preparedQuery("select nextval('ledger_entry_id_seq') from generate_series(1, $1)")
                .execute(Tuple.of(BLOCK))
                .map(rows -> {
                    Long mine = null;
                    for (Row row : rows) {
                        if (mine == null) {
                            mine = row.getLong(0);
                        } else {
                            free.add(row.getLong(0));
                        }
                    }
                    return mine;
                });
    }

    /** {@code count} ids at once, for a batch of entries. */
    public Uni<List<Long>> next(SqlClient client, int count) {
        return client.preparedQuery("select nextval('ledger_entry_id_seq') from generate_series(1, $1)")
                .execute(Tuple.of(count))
                .map(rows -> {
                    List<Long> ids = new ArrayList<>(count);
                    rows.forEach(row -> ids.add(row.getLong(0)));
                    return ids;
                });
    }
}
