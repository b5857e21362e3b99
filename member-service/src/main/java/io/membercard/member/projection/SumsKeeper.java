package io.membercard.member.projection;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Keeps the members' figures summed, changed in the same transaction as every change of a member's group or of its
 * card's figures: {@code member_sums} by shop, level and card status, and {@code member_initial_sums} by the name's
 * first character and card status (a one-character keyword matches names that start with it). A list's
 * {@code sumData} then reads a few rows instead of every member. Adjustments of one transaction are merged and
 * written in key order, so that two transactions never wait on each other's rows in opposite order.
 */
@ApplicationScoped
public class SumsKeeper {
    private final ProjectionStore store;

    public SumsKeeper(ProjectionStore store) {
        this.store = store;
    }

    /** Which sums rows a member counts in. */
    public record Group(long shopId, long levelId, int cardStatus, String initial) implements Comparable<Group> {
        public static Group of(long shopId, Long levelId, int cardStatus, String name) {
            return new Group(shopId, levelId == null ? 0 : levelId, cardStatus, initialOf(name));
        }

        /** The group of a member row read with its shop_id, level_id, card_status and name. */
        public static Group of(Row row) {
            return of(row.getLong("shop_id"), row.getLong("level_id"), row.getShort("card_status"),
                    row.getString("name"));
        }

        /** The groups of member rows (read with their card_id too), by card. */
        public static Map<Long, Group> byCard(Iterable<Row> rows) {
            Map<Long, Group> groups = new java.util.LinkedHashMap<>();
            rows.forEach(row -> groups.put(row.getLong("card_id"), of(row)));
            return groups;
        }

        /** The first character of a name (a whole code point), as {@code left(name, 1)} in SQL. */
        public static String initialOf(String name) {
            return name == null || name.isEmpty() ? "" : name.substring(0, name.offsetByCodePoints(0, 1));
        }

        public Group withCardStatus(int status) {
            return new Group(shopId, levelId, status, initial);
        }

        @Override
        public int compareTo(Group o) {
            int c = Long.compare(shopId, o.shopId);
            if (c == 0) {
                c = Long.compare(levelId, o.levelId);
            }
            if (c == 0) {
                c = Integer.compare(cardStatus, o.cardStatus);
            }
            return c == 0 ? initial.compareTo(o.initial) : c;
        }
    }

    /** A change of one group's sums: {@code members} more members, {@code figures} more money and points. */
    public record Adjustment(Group group, long members, Figures figures) {
    }

    /** Collects the adjustments of one transaction. */
    public static final class Changes {
        private final Map<Group, Adjustment> byGroup = new TreeMap<>();

        public Changes add(Group group, long members, Figures figures) {
            byGroup.merge(group, new Adjustment(group, members, figures), (a, b) -> new Adjustment(group,
                    a.members() + b.members(), a.figures().plus(b.figures())));
            return this;
        }

        /** A member joins {@code group} with its card's figures. */
        public Changes join(Group group, Figures figures) {
            return add(group, 1, figures);
        }

        /** A member leaves {@code group} with its card's figures. */
        public Changes leave(Group group, Figures figures) {
            return add(group, -1, figures.negate());
        }

        List<Adjustment> nonZero() {
            List<Adjustment> list = new ArrayList<>();
            byGroup.values().forEach(a -> {
                if (a.members() != 0 || !a.figures().isZero()) {
                    list.add(a);
                }
            });
            return list;
        }
    }

    /**
     * Members join the tenant's sums ({@code byCard}: their groups by card) with their cards' figures, the cards'
     * rows locked first so that no account event slips between.
     */
    public Uni<Void> join(SqlClient tx, long tenantId, Map<Long, Group> byCard) {
        return move(tx, tenantId, byCard, true);
    }

    /** Members leave the tenant's sums with their cards' figures; as {@link #join}. */
    public Uni<Void> leave(SqlClient tx, long tenantId, Map<Long, Group> byCard) {
        return move(tx, tenantId, byCard, false);
    }

    private Uni<Void> move(SqlClient tx, long tenantId, Map<Long, Group> byCard, boolean join) {
        if (byCard.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return store.lockedFigures(tx, tenantId, byCard.keySet().toArray(new Long[0])).flatMap(figures -> {
            Changes changes = new Changes();
            byCard.forEach((card, group) -> {
                Figures f = figures.getOrDefault(card, Figures.ZERO);
                if (join) {
                    changes.join(group, f);
                } else {
                    changes.leave(group, f);
                }
            });
            return apply(tx, tenantId, changes);
        });
    }

    /** The changes of one tenant in {@code byTenant}, created empty when it has none yet. */
    public static Changes of(Map<Long, Changes> byTenant, long tenantId) {
        return byTenant.computeIfAbsent(tenantId, t -> new Changes());
    }

    /** Writes the changes of many tenants (an event batch's), tenant by tenant in id order. */
    public Uni<Void> applyAll(SqlClient tx, Map<Long, Changes> byTenant) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (Map.Entry<Long, Changes> tenant : new TreeMap<>(byTenant).entrySet()) {
            chain = chain.flatMap(ignored -> apply(tx, tenant.getKey(), tenant.getValue()));
        }
        return chain;
    }

    /** The figure columns of both sums tables, after their keys. */
    private static final String FIGURES = "members, actual_balance, give_balance, actual_recharge, give_recharge,"
            + " actual_expense, give_expense, total_points, used_points, actual_points";

    /** One sums row's key values and what it gains. */
    private record Sum(Object[] key, long members, Figures figures) {
    }

    /** A sums table: its name and key columns (after tenant_id) with their SQL types. */
    private record Table(String name, String[] keys, String[] types) {
        String keyList() {
            return String.join(", ", keys);
        }
    }

    private static final Table BY_PLACE = new Table("member_sums", new String[]{"shop_id", "level_id", "card_status"},
            new String[]{"bigint", "bigint", "smallint"});
    private static final Table BY_INITIAL = new Table("member_initial_sums", new String[]{"initial", "card_status"},
            new String[]{"varchar", "smallint"});

    public Uni<Void> apply(SqlClient tx, long tenantId, Changes changes) {
        List<Adjustment> adjustments = changes.nonZero();
        if (adjustments.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        // Each table's rows merged and in key order; member_sums first, then member_initial_sums, in every
        // transaction.
        Map<List<Comparable<?>>, Sum> byPlace = new TreeMap<>(SumsKeeper::compareKeys);
        Map<List<Comparable<?>>, Sum> byInitial = new TreeMap<>(SumsKeeper::compareKeys);
        for (Adjustment a : adjustments) {
            Group g = a.group();
            add(byPlace, List.of(g.shopId(), g.levelId(), (short) g.cardStatus()), a);
            add(byInitial, List.of(g.initial(), (short) g.cardStatus()), a);
        }
        return upsert(tx, tenantId, BY_PLACE, byPlace.values())
                .flatMap(ignored -> upsert(tx, tenantId, BY_INITIAL, byInitial.values()));
    }

    private static void add(Map<List<Comparable<?>>, Sum> sums, List<Comparable<?>> key, Adjustment a) {
        sums.merge(key, new Sum(key.toArray(), a.members(), a.figures()),
                (x, y) -> new Sum(x.key(), x.members() + y.members(), x.figures().plus(y.figures())));
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static int compareKeys(List<Comparable<?>> a, List<Comparable<?>> b) {
        for (int i = 0; i < a.size(); i++) {
            int c = ((Comparable) a.get(i)).compareTo(b.get(i));
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    private Uni<Void> upsert(SqlClient tx, long tenantId, Table table, java.util.Collection<Sum> rows) {
        List<Sum> sums = rows.stream().filter(s -> s.members() != 0 || !s.figures().isZero()).toList();
        if (sums.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        StringBuilder arrays = new StringBuilder();
        List<Object> values = new ArrayList<>();
        values.add(tenantId);
        for (int k = 0; k < table.keys().length; k++) {
            int column = k;
            arrays.append('$').append(values.size() + 1).append("::").append(table.types()[k]).append("[], ");
            values.add(sums.stream().map(s -> s.key()[column]).toArray(n -> keyArray(sums.get(0).key()[column], n)));
        }
        arrays.append('$').append(values.size() + 1).append("::bigint[]");
        values.add(sums.stream().map(Sum::members).toArray(Long[]::new));
        String[] figureTypes = {"numeric", "numeric", "numeric", "numeric", "numeric", "numeric", "bigint", "bigint",
                "bigint"};
        List<java.util.function.Function<Figures, Object>> figures = List.of(Figures::actualBalance,
                Figures::giveBalance, Figures::actualRecharge, Figures::giveRecharge, Figures::actualExpense,
                Figures::giveExpense, Figures::totalPoints, Figures::usedPoints, Figures::actualPoints);
        for (int f = 0; f < figures.size(); f++) {
            var read = figures.get(f);
            arrays.append(", $").append(values.size() + 1).append("::").append(figureTypes[f]).append("[]");
            values.add(f < 6
                    ? sums.stream().map(s -> read.apply(s.figures())).toArray(java.math.BigDecimal[]::new)
                    : sums.stream().map(s -> read.apply(s.figures())).toArray(Long[]::new));
        }
        StringBuilder updates = new StringBuilder();
        for (String column : FIGURES.split(", ")) {
            updates.append(updates.length() == 0 ? "" : ", ").append(column).append(" = s.").append(column)
                    .append(" + excluded.").append(column);
        }
        return tx.preparedQuery("with rebuilding as (select pg_advisory_xact_lock_shared(hashtextextended("
                + "'member_sums:' || $1::bigint, 0))) insert into " + table.name() + " as s (tenant_id, "
                + table.keyList() + ", " + FIGURES + ") select $1::bigint, v.* from rebuilding, unnest(" + arrays
                + ") as v on conflict (tenant_id, " + table.keyList() + ") do update set " + updates)
                .execute(Tuple.from(values)).replaceWithVoid();
    }

    private static Object[] keyArray(Object sample, int size) {
        if (sample instanceof Long) {
            return new Long[size];
        }
        return sample instanceof Short ? new Short[size] : new String[size];
    }

    /**
     * Recomputes a tenant's sums from its members and their cards' figures (after a reconciliation). It holds the
     * tenant's sums exclusively meanwhile: every other change of them waits, then adds its difference on top.
     */
    public Uni<Void> rebuild(SqlClient tx, long tenantId) {
        return tx.preparedQuery("select pg_advisory_xact_lock(hashtextextended('member_sums:' || $1::bigint, 0))")
                .execute(Tuple.of(tenantId))
                .flatMap(locked -> recompute(tx, tenantId, BY_PLACE,
                        "m.shop_id, coalesce(m.level_id, 0), m.card_status"))
                .flatMap(ignored -> recompute(tx, tenantId, BY_INITIAL, "left(m.name, 1), m.card_status"));
    }

    private Uni<Void> recompute(SqlClient tx, long tenantId, Table table, String groupBy) {
        return tx.preparedQuery("delete from " + table.name() + " where tenant_id = $1").execute(Tuple.of(tenantId))
                .flatMap(ignored -> tx.preparedQuery("insert into " + table.name() + " (tenant_id, "
                        + table.keyList() + ", " + FIGURES + ") select m.tenant_id, " + groupBy + ", count(*), "
                        + "coalesce(sum(p.actual_balance), 0), coalesce(sum(p.give_balance), 0), "
                        + "coalesce(sum(p.actual_recharge), 0), coalesce(sum(p.give_recharge), 0), "
                        + "coalesce(sum(p.actual_expense), 0), coalesce(sum(p.give_expense), 0), "
                        + "coalesce(sum(p.total_points), 0), coalesce(sum(p.used_points), 0), "
                        + "coalesce(sum(p.actual_points), 0) from member m left join account_projection p"
                        + " on p.tenant_id = m.tenant_id and p.card_id = m.card_id where m.tenant_id = $1"
                        + " and m.status = 1 group by m.tenant_id, " + groupBy).execute(Tuple.of(tenantId)))
                .replaceWithVoid();
    }
}
