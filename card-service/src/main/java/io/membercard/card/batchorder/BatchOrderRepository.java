package io.membercard.card.batchorder;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.membercard.card.card.CardSendMode;
import io.membercard.card.card.CardStatus;
import io.membercard.common.paging.PageQuery;
import io.membercard.common.paging.SqlFilter;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Batch orders and their cards, in plain SQL: one order may create 100,000 cards, which one
 * {@code insert ... select generate_series} writes far faster than entity by entity. Every query takes the tenant.
 */
@ApplicationScoped
public class BatchOrderRepository {
    private static final String ORDER_COLUMNS = """
            o.id, o.code, o.shop_id, o.shop_name, o.card_class_id, cc.name as card_class_name, o.start_code,
            o.end_code, o.current_code, o.expect_count, o.create_count, o.write_count, o.is_finished, o.user_id,
            o.user_name, o.created_at
            from batch_order o join card_class cc on cc.id = o.card_class_id""";

    /** The row of an order being written, locked until the transaction ends. */
    public record LockedOrder(long id, long shopId, int createCount, int writeCount) {
    }

    /** One card of an order, for writing. */
    public record OrderCard(long id, String code, Instant writtenAt, boolean busy) {
    }

    /** The first codes of a range that already exist, and how many exist in all. */
    public record Conflicts(List<String> first, long total) {
    }

    public Uni<Long> nextOrderId(SqlClient tx) {
        return tx.query("select nextval('batch_order_id_seq')").execute()
                .map(rows -> rows.iterator().next().getLong(0));
    }

    public Uni<Void> insertOrder(SqlClient tx, long id, long tenantId, String code, long shopId, String shopName,
            long cardClassId, CardCodeRange range, String userId, String userName) {
        return tx.preparedQuery("""
                insert into batch_order (id, tenant_id, code, shop_id, shop_name, card_class_id, start_code,
                                         end_code, current_code, expect_count, create_count, user_id, user_name)
                values ($1, $2, $3, $4, $5, $6, $7, $8, $7, $9, $9, $10, $11)""")
                .execute(Tuple.from(new Object[]{id, tenantId, code, shopId, shopName, cardClassId,
                        range.startCode(), range.endCode(), range.count(), userId, userName}))
                .replaceWithVoid();
    }

    /** Creates every card of the range, unwritten, in one statement; the codes are {@link CardCodeRange#codeAt}'s. */
    public Uni<Integer> insertCards(SqlClient tx, long tenantId, long orderId, long cardClassId, long shopId,
            String shopName, CardCodeRange range) {
        return tx.preparedQuery("""
                insert into card (tenant_id, code, card_class_id, shop_id, shop_name, status, send_mode,
                                  batch_order_id)
                select $1, $2 || lpad(($3::bigint + g)::text, $4, '0'), $5, $6, $7, $8, $9, $10
                from generate_series(0, $11 - 1) g""")
                .execute(Tuple.from(new Object[]{tenantId, range.prefix(), range.start(), range.width(),
                        cardClassId, shopId, shopName, CardStatus.UNWRITTEN.code(), CardSendMode.PHYSICAL.code(),
                        orderId, range.count()}))
                .map(RowSet::rowCount);
    }

    /**
     * Existing codes inside the range. Codes use the "C" collation, so within one length and prefix the codes
     * between the first and the last are exactly the range's (plus any non-numeric ones, filtered out).
     */
    public Uni<Conflicts> findConflicts(SqlClient client, long tenantId, CardCodeRange range) {
        return client.preparedQuery("""
                select code, count(*) over () as total from card
                where tenant_id = $1 and code between $2 and $3 and length(code) = $4 and starts_with(code, $5)
                  and substr(code, $6) ~ '^[0-9]+$'
                order by code limit 5""")
                .execute(Tuple.from(new Object[]{tenantId, range.startCode(), range.endCode(),
                        range.startCode().length(), range.prefix(), range.prefix().length() + 1}))
                .map(rows -> {
                    List<String> first = new ArrayList<>();
                    long total = 0;
                    for (Row row : rows) {
                        first.add(row.getString("code"));
                        total = row.getLong("total");
                    }
                    return new Conflicts(first, total);
                });
    }

    public Uni<BatchOrderView> findById(SqlClient client, long tenantId, long id) {
        return client.preparedQuery("select " + ORDER_COLUMNS + " where o.tenant_id = $1 and o.id = $2")
                .execute(Tuple.of(tenantId, id))
                .map(rows -> rows.iterator().hasNext() ? toView(rows.iterator().next()) : null);
    }

    /** One page of an order's cards, in the order they were created (their codes' order). */
    public Uni<List<BatchOrderView.Detail>> details(SqlClient client, long tenantId, long orderId, PageQuery page) {
        return client.preparedQuery("""
                select id, code, written_at is not null as written from card
                where tenant_id = $1 and batch_order_id = $2 order by id limit $3 offset $4""")
                .execute(Tuple.of(tenantId, orderId, page.pageSize(), page.offset()))
                .map(rows -> {
                    List<BatchOrderView.Detail> details = new ArrayList<>(rows.size());
                    for (Row row : rows) {
                        details.add(new BatchOrderView.Detail(orderId, row.getString("code"),
                                row.getBoolean("written"), row.getLong("id")));
                    }
                    return details;
                });
    }

    public Uni<List<BatchOrderView>> page(SqlClient client, SqlFilter filter, PageQuery page) {
        String limit = filter.next();
        filter.extra(page.pageSize());
        String offset = filter.next();
        filter.extra(page.offset());
        return client.preparedQuery("select " + ORDER_COLUMNS + " where " + filter.clause()
                + " order by o.id desc limit " + limit + " offset " + offset)
                .execute(filter.tuple())
                .map(rows -> {
                    List<BatchOrderView> orders = new ArrayList<>(rows.size());
                    rows.forEach(row -> orders.add(toView(row)));
                    return orders;
                });
    }

    /** How many orders match, and their counts summed. */
    public Uni<OrderCount> count(SqlClient client, SqlFilter filter) {
        return client.preparedQuery("""
                select count(*) as orders, coalesce(sum(o.expect_count), 0) as expect_count,
                       coalesce(sum(o.create_count), 0) as create_count, coalesce(sum(o.write_count), 0) as write_count
                from batch_order o join card_class cc on cc.id = o.card_class_id""" + " where " + filter.clause())
                .execute(filter.tuple())
                .map(rows -> {
                    Row row = rows.iterator().next();
                    return new OrderCount(row.getLong("orders"), new OrderSums(row.getLong("expect_count"),
                            row.getLong("create_count"), row.getLong("write_count")));
                });
    }

    public record OrderCount(long orders, OrderSums sums) {
    }

    public Uni<LockedOrder> lockForWrite(SqlClient tx, long tenantId, long orderId) {
        return tx.preparedQuery("""
                select id, shop_id, create_count, write_count from batch_order
                where tenant_id = $1 and id = $2 for update""")
                .execute(Tuple.of(tenantId, orderId))
                .map(rows -> {
                    if (!rows.iterator().hasNext()) {
                        return null;
                    }
                    Row row = rows.iterator().next();
                    return new LockedOrder(row.getLong("id"), row.getLong("shop_id"), row.getInteger("create_count"),
                            row.getInteger("write_count"));
                });
    }

    public Uni<OrderCard> findCardInOrder(SqlClient tx, long tenantId, long orderId, long cardId) {
        return tx.preparedQuery("""
                select id, code, written_at, busy_operation_id is not null as busy from card
                where tenant_id = $1 and id = $2 and batch_order_id = $3""")
                .execute(Tuple.of(tenantId, cardId, orderId))
                .map(rows -> {
                    if (!rows.iterator().hasNext()) {
                        return null;
                    }
                    Row row = rows.iterator().next();
                    var written = row.getOffsetDateTime("written_at");
                    return new OrderCard(row.getLong("id"), row.getString("code"),
                            written == null ? null : written.toInstant(), row.getBoolean("busy"));
                });
    }

    /** Binds the MAC's hash and activates the card, if it is still unwritten; answers whether it was. */
    public Uni<Boolean> markWritten(SqlClient tx, long tenantId, long cardId, String macHash) {
        return tx.preparedQuery("""
                update card set status = $3, mac_hash = $4, written_at = now(), version = version + 1,
                       updated_at = now()
                where tenant_id = $1 and id = $2 and written_at is null""")
                .execute(Tuple.of(tenantId, cardId, CardStatus.ACTIVE.code(), macHash))
                .map(rows -> rows.rowCount() == 1);
    }

    /** Counts the write and moves {@code current_code} to the next unwritten card (none once all are written). */
    public Uni<Void> recordWrite(SqlClient tx, long tenantId, long orderId) {
        return recordWrites(tx, tenantId, orderId, 1);
    }

    /** {@code count} more cards of the order written. */
    public Uni<Void> recordWrites(SqlClient tx, long tenantId, long orderId, int count) {
        return tx.preparedQuery("""
                update batch_order set write_count = write_count + $3,
                       is_finished = (write_count + $3 = create_count),
                       current_code = (select code from card
                                       where tenant_id = $1 and batch_order_id = $2 and written_at is null
                                       order by code limit 1)
                where tenant_id = $1 and id = $2""")
                .execute(Tuple.of(tenantId, orderId, count))
                .replaceWithVoid();
    }

    private static BatchOrderView toView(Row row) {
        return new BatchOrderView(row.getLong("shop_id"), row.getString("shop_name"), row.getString("code"),
                row.getLong("card_class_id"), row.getString("card_class_name"), row.getString("start_code"),
                row.getString("end_code"), row.getString("current_code"), row.getInteger("expect_count"),
                row.getInteger("create_count"), row.getInteger("write_count"), row.getBoolean("is_finished"),
                row.getOffsetDateTime("created_at").toInstant(), numericUserId(row.getString("user_id")),
                row.getString("user_name"), List.of(), null, null, null, row.getLong("id"));
    }

    /** The seed's {@code userId} is a number; a token subject that is not one (a UUID, say) shows as null. */
    private static Long numericUserId(String userId) {
        if (userId == null || userId.isEmpty() || userId.length() > 18
                || !userId.chars().allMatch(Character::isDigit)) {
            return null;
        }
        return Long.parseLong(userId);
    }
}
