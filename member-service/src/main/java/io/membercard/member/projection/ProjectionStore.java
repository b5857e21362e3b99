package io.membercard.member.projection;

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

    public Uni<Locked> lock(SqlClient tx, long tenantId, long cardId) {
        return tx.preparedQuery("""
                insert into account_projection (tenant_id, card_id, account_id, version) values ($1, $2, 0, 0)
                on conflict (tenant_id, card_id) do nothing""")
                .execute(Tuple.of(tenantId, cardId))
                .flatMap(ignored -> tx.preparedQuery("select version, " + Figures.columns("p")
                        + " from account_projection p where tenant_id = $1 and card_id = $2 for update")
                        .execute(Tuple.of(tenantId, cardId)))
                .map(rows -> {
                    Row row = rows.iterator().next();
                    return new Locked(cardId, row.getLong("version"), Figures.of(row));
                });
    }

    /** The figures of a member's card, locked; zero for a member without a card. */
    public Uni<Figures> lockedFigures(SqlClient tx, long tenantId, Long cardId) {
        return cardId == null ? Uni.createFrom().item(Figures.ZERO) : lock(tx, tenantId, cardId).map(Locked::figures);
    }

    public Uni<Void> write(SqlClient tx, long tenantId, long cardId, long accountId, long version, Figures f) {
        return tx.preparedQuery("""
                update account_projection set account_id = $3, version = $4, actual_balance = $5, give_balance = $6,
                       actual_recharge = $7, give_recharge = $8, actual_expense = $9, give_expense = $10,
                       total_points = $11, used_points = $12, actual_points = $13
                where tenant_id = $1 and card_id = $2""")
                .execute(Tuple.from(new Object[]{tenantId, cardId, accountId, version, f.actualBalance(),
                        f.giveBalance(), f.actualRecharge(), f.giveRecharge(), f.actualExpense(), f.giveExpense(),
                        f.totalPoints(), f.usedPoints(), f.actualPoints()}))
                .replaceWithVoid();
    }

    public Uni<Void> remove(SqlClient tx, long tenantId, long cardId) {
        return tx.preparedQuery("delete from account_projection where tenant_id = $1 and card_id = $2")
                .execute(Tuple.of(tenantId, cardId)).replaceWithVoid();
    }

    /** The member (being created, or a member) whose card is {@code cardId}, as committed now; or null. */
    public Uni<MemberGroup> memberOf(SqlClient tx, long tenantId, long cardId) {
        return tx.preparedQuery("""
                select id, status, card_id, shop_id, level_id, card_status from member
                where tenant_id = $1 and card_id = $2 and status < 2""")
                .execute(Tuple.of(tenantId, cardId))
                .map(rows -> rows.iterator().hasNext() ? group(rows.iterator().next()) : null);
    }

    static MemberGroup group(Row row) {
        return new MemberGroup(row.getLong("id"), row.getShort("status"), row.getLong("card_id"),
                SumsKeeper.Group.of(row.getLong("shop_id"), row.getLong("level_id"), row.getShort("card_status")));
    }
}
