package io.membercard.card.card;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;

/** Card reads, always within one tenant. */
@ApplicationScoped
public class CardRepository {
    private final Pool pool;

    public CardRepository(Pool pool) {
        this.pool = pool;
    }

    public Uni<CardRow> findByTenantAndCode(long tenantId, String code) {
        return pool.preparedQuery("select " + CardRow.COLUMNS + """
                 from card c join card_class cc on cc.id = c.card_class_id
                where c.tenant_id = $1 and c.code = $2""")
                .execute(Tuple.of(tenantId, code))
                .map(CardRepository::first);
    }

    public Uni<CardRow> findByTenantAndMacHash(long tenantId, String macHash) {
        return pool.preparedQuery("select " + CardRow.COLUMNS + """
                 from card c join card_class cc on cc.id = c.card_class_id
                where c.tenant_id = $1 and c.mac_hash = $2""")
                .execute(Tuple.of(tenantId, macHash))
                .map(CardRepository::first);
    }

    private static CardRow first(RowSet<Row> rows) {
        var iterator = rows.iterator();
        return iterator.hasNext() ? CardRow.of(iterator.next()) : null;
    }
}
