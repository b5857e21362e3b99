package io.membercard.card.card;

import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/** Card reads and the card's own changes, always within one tenant. */
@ApplicationScoped
public class CardRepository {
    private final Pool pool;

    public CardRepository(Pool pool) {
        this.pool = pool;
    }

    public Uni<CardRow> findByTenantAndCode(long tenantId, String code) {
        return findByTenantAndCode(pool, tenantId, code);
    }

    public Uni<CardRow> findByTenantAndCode(SqlClient client, long tenantId, String code) {
        return client
                .preparedQuery("select " + CardRow.COLUMNS + CardRow.FROM + "where c.tenant_id = $1 and c.code = $2")
                .execute(Tuple.of(tenantId, code))
                .map(CardRepository::first);
    }

    /** The card {@code code}, locked until the transaction ends. */
    public Uni<CardRow> lockByCode(SqlClient tx, long tenantId, String code) {
        return tx.preparedQuery("select " + CardRow.COLUMNS + CardRow.FROM
                + "where c.tenant_id = $1 and c.code = $2 for update of c")
                .execute(Tuple.of(tenantId, code))
                .map(CardRepository::first);
    }

    /** The cards {@code ids}, locked until the transaction ends, in id order. */
    public Uni<List<CardRow>> lockByIds(SqlClient tx, long tenantId, Long[] ids) {
        return tx.preparedQuery("select " + CardRow.COLUMNS + CardRow.FROM
                + "where c.tenant_id = $1 and c.id = any($2) order by c.id for update of c")
                .execute(Tuple.of(tenantId, ids))
                .map(CardRepository::all);
    }

    /** The card whose MAC hashes to one of {@code macHashes} (one per tenant that salted the tenant's cards). */
    /** The cards (two at most) whose MAC hash is one of {@code macHashes}. */
    public Uni<List<CardRow>> findByTenantAndMacHash(long tenantId, List<String> macHashes) {
        return pool.preparedQuery("select " + CardRow.COLUMNS + CardRow.FROM
                + "where c.tenant_id = $1 and c.mac_hash = any($2) order by c.id limit 2")
                .execute(Tuple.of(tenantId, macHashes.toArray(new String[0])))
                .map(rows -> {
                    List<CardRow> found = new ArrayList<>();
                    rows.forEach(row -> found.add(CardRow.of(row)));
                    return found;
                });
    }

    /** The MAC hashes among {@code macHashes} that cards of the tenant other than {@code exceptCardId} have. */
    public Uni<java.util.Set<String>> macHashesInUse(SqlClient client, long tenantId, List<String> macHashes,
            long exceptCardId) {
        return client
                .preparedQuery("select mac_hash from card where tenant_id = $1 and mac_hash = any($2) and id <> $3")
                .execute(Tuple.of(tenantId, macHashes.toArray(new String[0]), exceptCardId))
                .map(rows -> {
                    java.util.Set<String> used = new java.util.HashSet<>();
                    rows.forEach(row -> used.add(row.getString(0)));
                    return used;
                });
    }

    /** The tenants other than the card's own whose ids salted MAC hashes of this tenant's cards (migrated cards). */
    public Uni<List<Long>> foreignMacSalts(long tenantId) {
        return foreignMacSalts(pool, tenantId);
    }

    public Uni<List<Long>> foreignMacSalts(SqlClient client, long tenantId) {
        return client.preparedQuery("select salt_tenant_id from card_mac_salt where tenant_id = $1")
                .execute(Tuple.of(tenantId))
                .map(rows -> {
                    List<Long> salts = new ArrayList<>();
                    rows.forEach(row -> salts.add(row.getLong(0)));
                    return salts;
                });
    }

    /** The card of member {@code memberId}, if any. */
    public Uni<CardRow> findByMember(long tenantId, long memberId) {
        return pool.preparedQuery("select " + CardRow.COLUMNS + CardRow.FROM
                + "where c.tenant_id = $1 and c.member_id = $2")
                .execute(Tuple.of(tenantId, memberId))
                .map(CardRepository::first);
    }

    /** Records what happened to a card, and who did it. */
    public Uni<Void> log(SqlClient tx, long tenantId, long cardId, String action, String remark, String userId,
            String userName) {
        return logAll(tx, tenantId, List.of(cardId), action, remark, userId, userName);
    }

    /**
     * One lifecycle step of a card for the managers' audit: who did it at which shop, the other card of a
     * replacement, whether the card's secret proved the card was there, and what the account moved.
     */
    public record LogEntry(String action, String remark, String userId, String userName, Long shopId,
            String otherCardCode, Boolean cardPresent, String detail) {
    }

    public Uni<Void> log(SqlClient tx, long tenantId, long cardId, LogEntry entry) {
        return tx.preparedQuery("""
                insert into card_log (tenant_id, card_id, action, remark, user_id, user_name, shop_id,
                                      other_card_code, card_present, detail)
                values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)""")
                .execute(Tuple.from(new Object[]{tenantId, cardId, entry.action(),
                        entry.remark() == null ? "" : entry.remark(), entry.userId(),
                        entry.userName() == null ? "" : entry.userName(), entry.shopId(), entry.otherCardCode(),
                        entry.cardPresent(), entry.detail()}))
                .replaceWithVoid();
    }

    /** The same for many cards at once. */
    public Uni<Void> logAll(SqlClient tx, long tenantId, List<Long> cardIds, String action, String remark,
            String userId, String userName) {
        return tx.preparedQuery("""
                insert into card_log (tenant_id, card_id, action, remark, user_id, user_name)
                select $1, id, $3, $4, $5, $6 from unnest($2::bigint[]) id""")
                .execute(Tuple.from(new Object[]{tenantId, cardIds.toArray(new Long[0]), action,
                        remark == null ? "" : remark, userId, userName == null ? "" : userName}))
                .replaceWithVoid();
    }

    static CardRow first(RowSet<Row> rows) {
        var iterator = rows.iterator();
        return iterator.hasNext() ? CardRow.of(iterator.next()) : null;
    }

    static List<CardRow> all(RowSet<Row> rows) {
        List<CardRow> cards = new ArrayList<>();
        rows.forEach(row -> cards.add(CardRow.of(row)));
        return cards;
    }
}
