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
import io.membercard.member.projection.SumsKeeper;
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
        return insertPending(tx, tenantId, shopId, List.of(id), List.of(p), java.util.Collections.singletonList(
                sourceKey));
    }

    /** Many members being created at once, {@code ids}, {@code profiles} and {@code sourceKeys} in step. */
    public Uni<Void> insertPending(SqlClient tx, long tenantId, long shopId, List<Long> ids, List<Profile> profiles,
            List<String> sourceKeys) {
        return tx.preparedQuery("""
                insert into member (id, tenant_id, shop_id, status, name, sex, birthday, phone, id_card, address, code,
                                    level_id, tag_ids, source_key)
                select v.id, $1, $2, 0, v.name, v.sex, v.birthday, v.phone, v.id_card, v.address, v.code, v.level_id,
                       v.tag_ids::bigint[], v.source_key
                from unnest($3::bigint[], $4::varchar[], $5::smallint[], $6::date[], $7::varchar[], $8::varchar[],
                            $9::varchar[], $10::varchar[], $11::bigint[], $12::varchar[], $13::varchar[])
                     as v(id, name, sex, birthday, phone, id_card, address, code, level_id, tag_ids, source_key)""")
                .execute(Tuple.from(new Object[]{tenantId, shopId, ids.toArray(new Long[0]),
                        profiles.stream().map(Profile::name).toArray(String[]::new),
                        profiles.stream().map(p -> (short) p.sex()).toArray(Short[]::new),
                        profiles.stream().map(Profile::birthday).toArray(LocalDate[]::new),
                        profiles.stream().map(Profile::phone).toArray(String[]::new),
                        profiles.stream().map(Profile::idCard).toArray(String[]::new),
                        profiles.stream().map(p -> p.address() == null ? "" : p.address()).toArray(String[]::new),
                        profiles.stream().map(p -> p.code() == null ? "" : p.code()).toArray(String[]::new),
                        profiles.stream().map(Profile::levelId).toArray(Long[]::new),
                        profiles.stream().map(p -> p.tagIds().stream().map(String::valueOf)
                                .collect(java.util.stream.Collectors.joining(",", "{", "}"))).toArray(String[]::new),
                        sourceKeys.toArray(new String[0])}))
                .replaceWithVoid();
    }

    /**
     * Gives a member being created its card (as card-service issued it) and makes it a member; answers the group it
     * now counts in, or null when it was not being created (made a member already, or removed).
     */
    public Uni<SumsKeeper.Group> activate(SqlClient tx, long tenantId, long id, CardInfo card) {
        return activate(tx, tenantId, List.of(id), List.of(card)).map(groups -> groups.get(card.id()));
    }

    /**
     * The same for many members, {@code ids} and {@code cards} in step; answers the groups of those made members
     * now, by card id.
     */
    public Uni<Map<Long, SumsKeeper.Group>> activate(SqlClient tx, long tenantId, List<Long> ids,
            List<CardInfo> cards) {
        return tx.preparedQuery("""
                update member m set status = 1, card_id = v.card_id, card_code = v.code, card_class_id = v.class_id,
                       card_class_name = v.class_name, card_status = v.status, card_send_mode = v.send_mode,
                       card_shop_name = v.shop_name, card_written_at = v.written_at, card_version = v.version,
                       code = case when m.code = '' then v.code else m.code end, updated_at = now()
                from unnest($2::bigint[], $3::bigint[], $4::varchar[], $5::bigint[], $6::varchar[], $7::smallint[],
                            $8::smallint[], $9::varchar[], $10::timestamptz[], $11::bigint[])
                     as v(id, card_id, code, class_id, class_name, status, send_mode, shop_name, written_at, version)
                where m.tenant_id = $1 and m.id = v.id and m.status = 0
                returning m.card_id, m.shop_id, m.level_id, m.card_status, m.name""")
                .execute(Tuple.from(new Object[]{tenantId, ids.toArray(new Long[0]),
                        cards.stream().map(CardInfo::id).toArray(Long[]::new),
                        cards.stream().map(CardInfo::code).toArray(String[]::new),
                        cards.stream().map(CardInfo::cardClassId).toArray(Long[]::new),
                        cards.stream().map(CardInfo::cardClassName).toArray(String[]::new),
                        cards.stream().map(c -> (short) c.status()).toArray(Short[]::new),
                        cards.stream().map(c -> (short) c.sendMode()).toArray(Short[]::new),
                        cards.stream().map(CardInfo::shopName).toArray(String[]::new),
                        cards.stream().map(c -> CardTimes.at(c.writtenAt())).toArray(java.time.OffsetDateTime[]::new),
                        cards.stream().map(CardInfo::version).toArray(Long[]::new)}))
                .map(rows -> {
                    Map<Long, SumsKeeper.Group> groups = new HashMap<>();
                    rows.forEach(row -> groups.put(row.getLong("card_id"), SumsKeeper.Group.of(row)));
                    return groups;
                });
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
