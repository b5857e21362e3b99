package io.membercard.payment.points;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.membercard.payment.account.Delta;
import io.membercard.payment.account.Posting;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Points by lot: each payment's points are a lot that expires after the card class's {@code pointsValidDays};
 * points are spent and expire oldest first. The lots' remaining points always add up to the account's actual
 * points.
 */
@ApplicationScoped
public class PointsBook {

    /** Expires the account's lots that are due, as one {@code POINTS_EXPIRED} entry. */
    public Uni<Void> expireDue(Posting posting) {
        if (posting.account().actualPoints() == 0) {
            return Uni.createFrom().voidItem();
        }
        return posting.tx().preparedQuery("""
                with due as (
                    select id, remaining from points_lot
                    where account_id = $1 and remaining > 0 and expires_at <= now() for update)
                update points_lot l set remaining = 0 from due where l.id = due.id
                returning due.remaining""")
                .execute(Tuple.of(posting.account().id()))
                .flatMap(rows -> {
                    long expired = 0;
                    for (Row row : rows) {
                        expired += row.getLong(0);
                    }
                    if (expired == 0) {
                        return Uni.createFrom().voidItem();
                    }
                    posting.markPointsExpiryChanged();
                    return posting.post(Delta.pointsExpired(expired)).replaceWithVoid();
                });
    }

    /**
     * Records the points entry {@code entryId} earned, valid for {@code validDays} (0: forever). The points' first
     * expiry changes only when the new lot expires before every other lot left (usually it expires after them).
     */
    public Uni<Void> earn(Posting posting, long entryId, long points, int validDays) {
        if (points <= 0) {
            return Uni.createFrom().voidItem();
        }
        Instant expires = validDays > 0 ? Instant.now().plus(Duration.ofDays(validDays)) : null;
        return posting.tx().preparedQuery("""
                with earlier as (select 1 from points_lot where account_id = $2 and remaining > 0
                                 and (expires_at <= $5 or $5 is null) limit 1)
                insert into points_lot (tenant_id, account_id, entry_id, points, remaining, expires_at)
                values ($1, $2, $3, $4, $4, $5)
                returning $5::timestamptz is not null and not exists (select 1 from earlier)""")
                .execute(Tuple.of(posting.account().tenantId(), posting.account().id(), entryId, points,
                        expires == null ? null : expires.atOffset(ZoneOffset.UTC)))
                .invoke(rows -> {
                    if (rows.iterator().next().getBoolean(0)) {
                        posting.markPointsExpiryChanged();
                    }
                })
                .replaceWithVoid();
    }

    /** The account's points all go (a card returned): every lot left is emptied. */
    public Uni<Void> forfeitAll(Posting posting) {
        posting.markPointsExpiryChanged();
        return posting.tx().preparedQuery("update points_lot set remaining = 0 where account_id = $1 and remaining > 0")
                .execute(Tuple.of(posting.account().id())).replaceWithVoid();
    }

    /**
     * Takes {@code points} out of the lots: first the lot of {@code preferredEntryId} (the payment being refunded),
     * then oldest first. The caller has checked that the account has them.
     */
    public Uni<Void> consume(Posting posting, long points, Long preferredEntryId) {
        if (points <= 0) {
            return Uni.createFrom().voidItem();
        }
        return posting.tx().preparedQuery("""
                select id, remaining from points_lot where account_id = $1 and remaining > 0
                order by (entry_id = $2) desc, expires_at nulls last, id for update""")
                .execute(Tuple.of(posting.account().id(), preferredEntryId == null ? -1L : preferredEntryId))
                .flatMap(rows -> {
                    List<Tuple> updates = new ArrayList<>();
                    long left = points;
                    for (Row row : rows) {
                        if (left == 0) {
                            break;
                        }
                        long take = Math.min(left, row.getLong("remaining"));
                        updates.add(Tuple.of(row.getLong("id"), take));
                        left -= take;
                    }
                    if (left > 0) {
                        return Uni.createFrom().failure(new IllegalStateException(
                                "points lots of account " + posting.account().id() + " are short by " + left));
                    }
                    posting.markPointsExpiryChanged();
                    return Multi.createFrom().iterable(updates)
                            .onItem().transformToUniAndConcatenate(update -> posting.tx()
                                    .preparedQuery("update points_lot set remaining = remaining - $2 where id = $1")
                                    .execute(update))
                            .collect().last().replaceWithVoid();
                });
    }

    /**
     * After a change that moved points, tells subscribers when the card's points now expire first
     * ({@code account.points-expiry}: the account's version and {@code pointsDisabledAt}, epoch milliseconds or null), in the same transaction.
     */
    public Uni<Void> publishExpiry(Posting posting) {
        if (!posting.pointsExpiryChanged()) {
            return Uni.createFrom().voidItem();
        }
        return publishExpiry(posting.tx(), posting.account().tenantId(), List.of(posting.account().id()));
    }

    /** {@link #publishExpiry(Posting)} for many accounts of one tenant at once. */
    public Uni<Void> publishExpiry(SqlClient tx, long tenantId, List<Long> accountIds) {
        return tx.preparedQuery("""
                insert into outbox_event (event_id, tenant_id, type, aggregate_id, payload)
                select gen_random_uuid(), a.tenant_id, 'account.points-expiry', a.id::text,
                       json_build_object('accountId', a.id, 'cardId', a.card_id, 'version', a.version,
                           'pointsDisabledAt', (select (extract(epoch from min(l.expires_at)) * 1000)::bigint
                               from points_lot l where l.account_id = a.id and l.remaining > 0))::text
                from account a where a.tenant_id = $1 and a.id = any($2) order by a.id""")
                .execute(Tuple.of(tenantId, accountIds.toArray(new Long[0])))
                .replaceWithVoid();
    }
}
