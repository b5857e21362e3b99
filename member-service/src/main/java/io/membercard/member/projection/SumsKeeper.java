package io.membercard.member.projection;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Keeps {@code member_sums}: the members' figures summed by shop, level and card status, changed in the same
 * transaction as every change of a member's group or of its card's figures. A list's {@code sumData} then reads a
 * few rows instead of every member. Adjustments of one transaction are merged and written in key order, so that two
 * transactions never wait on each other's rows in opposite order.
 */
@ApplicationScoped
public class SumsKeeper {

    /** Which sums row a member counts in. */
    public record Group(long shopId, long levelId, int cardStatus) implements Comparable<Group> {
        public static Group of(long shopId, Long levelId, int cardStatus) {
            return new Group(shopId, levelId == null ? 0 : levelId, cardStatus);
        }

        @Override
        public int compareTo(Group o) {
            int c = Long.compare(shopId, o.shopId);
            if (c == 0) {
                c = Long.compare(levelId, o.levelId);
            }
            return c == 0 ? Integer.compare(cardStatus, o.cardStatus) : c;
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

    public Uni<Void> apply(SqlClient tx, long tenantId, Changes changes) {
        List<Adjustment> adjustments = changes.nonZero();
        if (adjustments.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return tx
                .preparedQuery(
                        """
                                with rebuilding as (select pg_advisory_xact_lock_shared(hashtextextended('member_sums:' || $1::bigint, 0)))
                                insert into member_sums as s (tenant_id, shop_id, level_id, card_status, members, actual_balance,
                                       give_balance, actual_recharge, give_recharge, actual_expense, give_expense, total_points,
                                       used_points, actual_points)
                                select $1::bigint, v.* from rebuilding, unnest($2::bigint[], $3::bigint[], $4::smallint[],
                                       $5::bigint[], $6::numeric[], $7::numeric[], $8::numeric[], $9::numeric[], $10::numeric[],
                                       $11::numeric[], $12::bigint[], $13::bigint[], $14::bigint[])
                                     as v(shop_id, level_id, card_status, members, ab, gb, ar, gr, ae, ge, tp, up, ap)
                                on conflict (tenant_id, shop_id, level_id, card_status) do update set
                                       members = s.members + excluded.members,
                                       actual_balance = s.actual_balance + excluded.actual_balance,
                                       give_balance = s.give_balance + excluded.give_balance,
                                       actual_recharge = s.actual_recharge + excluded.actual_recharge,
                                       give_recharge = s.give_recharge + excluded.give_recharge,
                                       actual_expense = s.actual_expense + excluded.actual_expense,
                                       give_expense = s.give_expense + excluded.give_expense,
                                       total_points = s.total_points + excluded.total_points,
                                       used_points = s.used_points + excluded.used_points,
                                       actual_points = s.actual_points + excluded.actual_points""")
                .execute(Tuple.from(new Object[]{tenantId,
                        adjustments.stream().map(a -> a.group().shopId()).toArray(Long[]::new),
                        adjustments.stream().map(a -> a.group().levelId()).toArray(Long[]::new),
                        adjustments.stream().map(a -> (short) a.group().cardStatus()).toArray(Short[]::new),
                        adjustments.stream().map(Adjustment::members).toArray(Long[]::new),
                        adjustments.stream().map(a -> a.figures().actualBalance()).toArray(java.math.BigDecimal[]::new),
                        adjustments.stream().map(a -> a.figures().giveBalance()).toArray(java.math.BigDecimal[]::new),
                        adjustments.stream().map(a -> a.figures().actualRecharge())
                                .toArray(java.math.BigDecimal[]::new),
                        adjustments.stream().map(a -> a.figures().giveRecharge()).toArray(java.math.BigDecimal[]::new),
                        adjustments.stream().map(a -> a.figures().actualExpense()).toArray(java.math.BigDecimal[]::new),
                        adjustments.stream().map(a -> a.figures().giveExpense()).toArray(java.math.BigDecimal[]::new),
                        adjustments.stream().map(a -> a.figures().totalPoints()).toArray(Long[]::new),
                        adjustments.stream().map(a -> a.figures().usedPoints()).toArray(Long[]::new),
                        adjustments.stream().map(a -> a.figures().actualPoints()).toArray(Long[]::new)}))
                .replaceWithVoid();
    }

    /**
     * Recomputes a tenant's sums from its members and their cards' figures (after a reconciliation). It holds the
     * tenant's sums exclusively meanwhile: every other change of them waits, then adds its difference on top.
     */
    public Uni<Void> rebuild(SqlClient tx, long tenantId) {
        return tx.preparedQuery("select pg_advisory_xact_lock(hashtextextended('member_sums:' || $1::bigint, 0))")
                .execute(Tuple.of(tenantId))
                .flatMap(locked -> tx.preparedQuery("delete from member_sums where tenant_id = $1")
                        .execute(Tuple.of(tenantId)))
                .flatMap(ignored -> tx.preparedQuery("""
                        insert into member_sums (tenant_id, shop_id, level_id, card_status, members, actual_balance,
                               give_balance, actual_recharge, give_recharge, actual_expense, give_expense,
                               total_points, used_points, actual_points)
                        select m.tenant_id, m.shop_id, coalesce(m.level_id, 0), m.card_status, count(*),
                               coalesce(sum(p.actual_balance), 0), coalesce(sum(p.give_balance), 0),
                               coalesce(sum(p.actual_recharge), 0), coalesce(sum(p.give_recharge), 0),
                               coalesce(sum(p.actual_expense), 0), coalesce(sum(p.give_expense), 0),
                               coalesce(sum(p.total_points), 0), coalesce(sum(p.used_points), 0),
                               coalesce(sum(p.actual_points), 0)
                        from member m left join account_projection p on p.tenant_id = m.tenant_id
                             and p.card_id = m.card_id
                        where m.tenant_id = $1 and m.status = 1
                        group by m.tenant_id, m.shop_id, coalesce(m.level_id, 0), m.card_status""")
                        .execute(Tuple.of(tenantId)))
                .replaceWithVoid();
    }
}
