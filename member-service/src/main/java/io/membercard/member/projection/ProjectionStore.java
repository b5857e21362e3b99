package io.membercard.member.projection;

import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * member-service's copy of cards' account figures ({@code account_projection}), and the member a card belongs to.
 * Every change that moves figures into or out of a member's sums locks the card's row first (creating an empty one
 * when the card has none yet), so that an event and a change of the member cannot both miss each other.
 */
@ApplicationScoped
public class ProjectionStore {

    /** A card's figures row, locked: its version (0 when empty) and figures. */
    public record Locked(long cardId, long version, Figures figures) {
    }

    /** Where a member counts in the sums, and which card is its. */
    public record MemberGroup(long memberId, int status, Long cardId, SumsKeeper.Group group) {
    }

    /** A card's row, locked (created empty when missing). */
    public Uni<Locked> lock(SqlClient tx, long tenantId, long cardId) {
        return lockAll(tx, List.<long[]>of(new long[]{tenantId, cardId}))
                .map(rows -> rows.get(tenantId + ":" + cardId));
    }

    /** The figures of a member's card, locked; zero for a member without a card. */
    public Uni<Figures> lockedFigures(SqlClient tx, long tenantId, Long cardId) {
        return cardId == null ? Uni.createFrom().item(Figures.ZERO) : lock(tx, tenantId, cardId).map(Locked::figures);
    }

    /** Figures to write for a card. */
    public record Write(long tenantId, long cardId, long accountId, long version, Figures figures) {
    }

    /** The rows of many cards (of any tenants), locked in key order, by "tenant:card". */
    public Uni<Map<String, Locked>> lockAll(SqlClient tx, List<long[]> cards) {
        List<long[]> keys = new java.util.ArrayList<>(cards);
        keys.sort((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
        Long[] tenants = keys.stream().map(k -> k[0]).toArray(Long[]::new);
        Long[] ids = keys.stream().map(k -> k[1]).toArray(Long[]::new);
        return tx.preparedQuery("""
                insert into account_projection (tenant_id, card_id, account_id, version)
                select t, c, 0, 0 from unnest($1::bigint[], $2::bigint[]) as v(t, c) order by t, c
                on conflict (tenant_id, card_id) do nothing""")
                .execute(Tuple.of(tenants, ids))
                .flatMap(ignored -> tx.preparedQuery("select p.tenant_id, p.card_id, p.version, "
                        + Figures.columns("p") + " from account_projection p join unnest($1::bigint[], $2::bigint[])"
                        + " as v(t, c) on p.tenant_id = v.t and p.card_id = v.c order by p.tenant_id, p.card_id"
                        + " for update of p").execute(Tuple.of(tenants, ids)))
                .map(rows -> {
                    Map<String, Locked> locked = new java.util.HashMap<>();
                    for (Row row : rows) {
                        locked.put(row.getLong("tenant_id") + ":" + row.getLong("card_id"),
                                new Locked(row.getLong("card_id"), row.getLong("version"), Figures.of(row)));
                    }
                    return locked;
                });
    }

    /** The figures of many cards of one tenant, their rows locked (created empty when missing), by card id. */
    public Uni<Map<Long, Figures>> lockedFigures(SqlClient tx, long tenantId, Long[] cardIds) {
        List<long[]> cards = java.util.Arrays.stream(cardIds).map(id -> new long[]{tenantId, id}).toList();
        return lockAll(tx, cards).map(locked -> {
            Map<Long, Figures> byCard = new java.util.HashMap<>();
            locked.values().forEach(l -> byCard.put(l.cardId(), l.figures()));
            return byCard;
        });
    }

    public Uni<Void> writeAll(SqlClient tx, List<Write> writes) {
        if (writes.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return tx.preparedQuery("""
                update account_projection p set account_id = v.a, version = v.version, actual_balance = v.ab,
                       give_balance = v.gb, actual_recharge = v.ar, give_recharge = v.gr, actual_expense = v.ae,
                       give_expense = v.ge, total_points = v.tp, used_points = v.up, actual_points = v.ap
                from unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::bigint[], $5::numeric[], $6::numeric[],
                            $7::numeric[], $8::numeric[], $9::numeric[], $10::numeric[], $11::bigint[], $12::bigint[],
                            $13::bigint[]) as v(t, c, a, version, ab, gb, ar, gr, ae, ge, tp, up, ap)
                where p.tenant_id = v.t and p.card_id = v.c""")
                .execute(Tuple.from(new Object[]{writes.stream().map(Write::tenantId).toArray(Long[]::new),
                        writes.stream().map(Write::cardId).toArray(Long[]::new),
                        writes.stream().map(Write::accountId).toArray(Long[]::new),
                        writes.stream().map(Write::version).toArray(Long[]::new),
                        writes.stream().map(w -> w.figures().actualBalance()).toArray(java.math.BigDecimal[]::new),
                        writes.stream().map(w -> w.figures().giveBalance()).toArray(java.math.BigDecimal[]::new),
                        writes.stream().map(w -> w.figures().actualRecharge()).toArray(java.math.BigDecimal[]::new),
                        writes.stream().map(w -> w.figures().giveRecharge()).toArray(java.math.BigDecimal[]::new),
                        writes.stream().map(w -> w.figures().actualExpense()).toArray(java.math.BigDecimal[]::new),
                        writes.stream().map(w -> w.figures().giveExpense()).toArray(java.math.BigDecimal[]::new),
                        writes.stream().map(w -> w.figures().totalPoints()).toArray(Long[]::new),
                        writes.stream().map(w -> w.figures().usedPoints()).toArray(Long[]::new),
                        writes.stream().map(w -> w.figures().actualPoints()).toArray(Long[]::new)}))
                .replaceWithVoid();
    }

    public Uni<Void> removeAll(SqlClient tx, List<long[]> cards) {
        if (cards.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return tx.preparedQuery("""
                delete from account_projection p using unnest($1::bigint[], $2::bigint[]) as v(t, c)
                where p.tenant_id = v.t and p.card_id = v.c""")
                .execute(Tuple.of(cards.stream().map(k -> k[0]).toArray(Long[]::new),
                        cards.stream().map(k -> k[1]).toArray(Long[]::new)))
                .replaceWithVoid();
    }

    /** When a card's points stop counting, as of account version {@code version}. */
    public record Expiry(long tenantId, long cardId, java.time.OffsetDateTime at, long version) {
    }

    /** Each card's points expiry, where it is not older than the one kept. */
    public Uni<Void> expireAll(SqlClient tx, List<Expiry> expiries) {
        if (expiries.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return tx.preparedQuery("""
                update account_projection p set points_disabled_at = v.at, points_version = v.version
                from unnest($1::bigint[], $2::bigint[], $3::timestamptz[], $4::bigint[]) as v(tenant_id, card_id, at,
                     version)
                where p.tenant_id = v.tenant_id and p.card_id = v.card_id and p.points_version <= v.version""")
                .execute(Tuple.of(expiries.stream().map(Expiry::tenantId).toArray(Long[]::new),
                        expiries.stream().map(Expiry::cardId).toArray(Long[]::new),
                        expiries.stream().map(Expiry::at).toArray(java.time.OffsetDateTime[]::new),
                        expiries.stream().map(Expiry::version).toArray(Long[]::new)))
                .replaceWithVoid();
    }

    /** The members (being created, or members) of many cards, as committed now, by "tenant:card". */
    public Uni<Map<String, MemberGroup>> membersOf(SqlClient tx, List<long[]> cards) {
        if (cards.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return tx.preparedQuery("""
                select m.tenant_id, m.id, m.status, m.card_id, m.shop_id, m.level_id, m.card_status, m.name
                from unnest($1::bigint[], $2::bigint[]) as v(t, c)
                join member m on m.tenant_id = v.t and m.card_id = v.c and m.status < 2""")
                .execute(Tuple.of(cards.stream().map(k -> k[0]).toArray(Long[]::new),
                        cards.stream().map(k -> k[1]).toArray(Long[]::new)))
                .map(rows -> {
                    Map<String, MemberGroup> members = new java.util.HashMap<>();
                    for (Row row : rows) {
                        members.put(row.getLong("tenant_id") + ":" + row.getLong("card_id"), group(row));
                    }
                    return members;
                });
    }

    static MemberGroup group(Row row) {
        return new MemberGroup(row.getLong("id"), row.getShort("status"), row.getLong("card_id"),
                SumsKeeper.Group.of(row));
    }
}
