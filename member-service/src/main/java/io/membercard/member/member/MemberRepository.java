package io.membercard.member.member;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import io.membercard.common.paging.PageQuery;
import io.membercard.common.paging.SqlFilter;
import io.membercard.member.client.CardInfo;
import io.membercard.member.projection.Figures;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/** Members in SQL, always within one tenant. */
@ApplicationScoped
public class MemberRepository {

    /** A member's personal data, as validated. */
    public record Profile(String name, int sex, LocalDate birthday, String phone, String idCard, String address,
            String code, Long levelId, List<Long> tagIds) {
    }

    public Uni<Long> nextId(SqlClient client) {
        return client.query("select nextval('member_id_seq')").execute()
                .map(rows -> rows.iterator().next().getLong(0));
    }

    /** {@code count} member ids at once. */
    public Uni<List<Long>> nextIds(SqlClient client, int count) {
        return client.preparedQuery("select nextval('member_id_seq') from generate_series(1, $1)")
                .execute(Tuple.of(count))
                .map(rows -> {
                    List<Long> ids = new ArrayList<>(count);
                    rows.forEach(row -> ids.add(row.getLong(0)));
                    return ids;
                });
    }

    /** A member being created: not listed until its card is issued ({@link #activate}). */
    public Uni<Void> insertPending(SqlClient tx, long id, long tenantId, long shopId, Profile p, String sourceKey) {
        return tx.preparedQuery("""
                insert into member (id, tenant_id, shop_id, status, name, sex, birthday, phone, id_card, address, code,
                                    level_id, tag_ids, source_key)
                values ($1, $2, $3, 0, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)""")
                .execute(Tuple.from(new Object[]{id, tenantId, shopId, p.name(), (short) p.sex(), p.birthday(),
                        p.phone(), p.idCard(), p.address() == null ? "" : p.address(),
                        p.code() == null ? "" : p.code(), p.levelId(), p.tagIds().toArray(new Long[0]), sourceKey}))
                .replaceWithVoid();
    }

    /** Gives a member its card (as card-service issued it) and makes it a member. */
    public Uni<Void> activate(SqlClient tx, long tenantId, long id, CardInfo card) {
        return tx.preparedQuery("""
                update member set status = 1, card_id = $3, card_code = $4, card_class_id = $5,
                       card_class_name = $6, card_status = $7, card_send_mode = $8, card_shop_name = $9,
                       card_written_at = $10, card_version = $11, code = case when code = '' then $4 else code end,
                       updated_at = now()
                where tenant_id = $1 and id = $2 and status = 0""")
                .execute(Tuple.from(new Object[]{tenantId, id, card.id(), card.code(), card.cardClassId(),
                        card.cardClassName(), (short) card.status(), (short) card.sendMode(), card.shopName(),
                        CardTimes.at(card.writtenAt()), card.version()}))
                .replaceWithVoid();
    }

    public Uni<Void> deletePending(SqlClient client, long tenantId, long id) {
        return client.preparedQuery("delete from member where tenant_id = $1 and id = $2 and status = 0")
                .execute(Tuple.of(tenantId, id)).replaceWithVoid();
    }

    public Uni<MemberRow> find(SqlClient client, long tenantId, long id) {
        return client.preparedQuery(MemberRow.SELECT + "where m.tenant_id = $1 and m.id = $2 and m.status = 1")
                .execute(Tuple.of(tenantId, id)).map(MemberRepository::first);
    }

    /** The member, locked until the transaction ends. */
    public Uni<MemberRow> lock(SqlClient tx, long tenantId, long id) {
        return tx.preparedQuery(MemberRow.SELECT + "where m.tenant_id = $1 and m.id = $2 for update of m")
                .execute(Tuple.of(tenantId, id)).map(MemberRepository::first);
    }

    public Uni<MemberRow> findByCard(SqlClient client, long tenantId, long cardId) {
        return client.preparedQuery(MemberRow.SELECT + "where m.tenant_id = $1 and m.card_id = $2 and m.status = 1")
                .execute(Tuple.of(tenantId, cardId)).map(MemberRepository::first);
    }

    /**
     * A page of the members {@code filter} selects, newest first. With {@code matchFirst} (a filter that selects few
     * of many members, such as a keyword inside names, phones and card codes) the matches are found first through
     * their index and then ordered, rather than the tenant's members read newest first until enough match.
     */
    public Uni<List<MemberRow>> page(SqlClient client, SqlFilter filter, PageQuery page, boolean matchFirst) {
        String limit = filter.next();
        filter.extra(page.pageSize());
        String offset = filter.next();
        filter.extra(page.offset());
        String sql = matchFirst
                ? "with hits as materialized (select m.id from member m where " + filter.clause() + "),"
                        + " shown as (select id from hits order by id desc limit " + limit + " offset " + offset
                        + ") " + MemberRow.SELECT + "where m.id in (select id from shown) order by m.id desc"
                : MemberRow.SELECT + "where " + filter.clause() + " order by m.id desc limit " + limit + " offset "
                        + offset;
        return client.preparedQuery(sql).execute(filter.tuple()).map(MemberRepository::all);
    }

    /** Up to {@code limit} members after id {@code afterId}, by id: a long list read in pieces. */
    public Uni<List<MemberRow>> after(SqlClient client, SqlFilter filter, long afterId, int limit) {
        filter.and("m.id > ?", afterId);
        String size = filter.next();
        filter.extra(limit);
        return client.preparedQuery(MemberRow.SELECT + "where " + filter.clause() + " order by m.id limit " + size)
                .execute(filter.tuple()).map(MemberRepository::all);
    }

    /** How many members match, and their figures summed (from the members themselves). */
    public Uni<Count> count(SqlClient client, SqlFilter filter) {
        return client.preparedQuery("select count(*) as members, " + sums("p")
                + " from member m left join account_projection p on p.tenant_id = m.tenant_id"
                + " and p.card_id = m.card_id where " + filter.clause())
                .execute(filter.tuple()).map(rows -> Count.of(rows.iterator().next()));
    }

    /**
     * The same from kept sums ({@code table}, alias {@code s}): member_sums for filters by shop, level and card
     * status only, member_initial_sums for a one-character keyword and card status.
     */
    public Uni<Count> countFromSums(SqlClient client, String table, SqlFilter filter) {
        return client.preparedQuery("select coalesce(sum(s.members), 0) as members, " + sums("s")
                + " from " + table + " s where " + filter.clause())
                .execute(filter.tuple()).map(rows -> Count.of(rows.iterator().next()));
    }

    private static String sums(String alias) {
        StringBuilder sql = new StringBuilder();
        for (String column : Figures.columns(alias).split(", ")) {
            if (sql.length() > 0) {
                sql.append(", ");
            }
            sql.append("coalesce(sum(").append(column).append("), 0) as ")
                    .append(column.substring(column.indexOf('.') + 1));
        }
        return sql.toString();
    }

    /** A count with its sums. */
    public record Count(long members, Figures sums) {
        public Count plus(Count other) {
            return new Count(members + other.members, sums.plus(other.sums));
        }

        static Count of(Row row) {
            return new Count(row.getLong("members"), Figures.of(row));
        }
    }

    /** The names of tags {@code ids} of the tenant, in use or not. */
    public Uni<Map<Long, String>> tagNames(SqlClient client, long tenantId, List<Long> ids) {
        if (ids.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return client.preparedQuery("select id, name from member_tag where tenant_id = $1 and id = any($2)")
                .execute(Tuple.of(tenantId, ids.stream().distinct().toArray(Long[]::new)))
                .map(rows -> {
                    Map<Long, String> names = new HashMap<>();
                    rows.forEach(row -> names.put(row.getLong(0), row.getString(1)));
                    return names;
                });
    }

    /** Which of {@code ids} are the tenant's tags in use. */
    public Uni<List<Long>> tagsInUse(SqlClient client, long tenantId, List<Long> ids) {
        if (ids.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return client.preparedQuery("select id from member_tag where tenant_id = $1 and id = any($2) and in_use")
                .execute(Tuple.of(tenantId, ids.toArray(new Long[0])))
                .map(rows -> {
                    List<Long> found = new ArrayList<>();
                    rows.forEach(row -> found.add(row.getLong(0)));
                    return found;
                });
    }

    /** Whether {@code levelId} is a level of the tenant in use. */
    public Uni<Boolean> levelInUse(SqlClient client, long tenantId, long levelId) {
        return client.preparedQuery("select 1 from member_level where tenant_id = $1 and id = $2 and in_use")
                .execute(Tuple.of(tenantId, levelId)).map(rows -> rows.iterator().hasNext());
    }

    /** Whether another member (being created or a member) of the tenant has {@code phone}. */
    public Uni<Boolean> phoneTaken(SqlClient client, long tenantId, String phone, long exceptId) {
        return client.preparedQuery("""
                select 1 from member where tenant_id = $1 and phone = $2 and status < 2 and id <> $3""")
                .execute(Tuple.of(tenantId, phone, exceptId)).map(rows -> rows.iterator().hasNext());
    }

    static MemberRow first(RowSet<Row> rows) {
        var iterator = rows.iterator();
        return iterator.hasNext() ? MemberRow.of(iterator.next()) : null;
    }

    static List<MemberRow> all(RowSet<Row> rows) {
        List<MemberRow> members = new ArrayList<>(rows.size());
        rows.forEach(row -> members.add(MemberRow.of(row)));
        return members;
    }
}
