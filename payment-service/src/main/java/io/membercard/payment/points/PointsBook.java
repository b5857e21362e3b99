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
                    return expired == 0
                            ? Uni.createFrom().voidItem()
                            : posting.post(Delta.pointsExpired(expired)).replaceWithVoid();
                });
    }

    /** Records the points entry {@code entryId} earned, valid for {@code validDays} (0: forever). */
    public Uni<Void> earn(Posting posting, long entryId, long points, int validDays) {
        if (points <= 0) {
            return Uni.createFrom().voidItem();
        }
        Instant expires = validDays > 0 ? Instant.now().plus(Duration.ofDays(validDays)) : null;
        return posting.tx().preparedQuery("""
                insert into points_lot (tenant_id, account_id, entry_id, points, remaining, expires_at)
                values ($1, $2, $3, $4, $4, $5)""")
                .execute(Tuple.of(posting.account().tenantId(), posting.account().id(), entryId, points,
                        expires == null ? null : expires.atOffset(ZoneOffset.UTC)))
                .replaceWithVoid();
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
                    return Multi.createFrom().iterable(updates)
                            .onItem().transformToUniAndConcatenate(update -> posting.tx()
                                    .preparedQuery("update points_lot set remaining = remaining - $2 where id = $1")
                                    .execute(update))
                            .collect().last().replaceWithVoid();
                });
    }

    /** When the account's oldest remaining points expire (积分到期), or null. */
    public Uni<Instant> nextExpiry(SqlClient client, long accountId) {
        return client.preparedQuery("select min(expires_at) from points_lot where account_id = $1 and remaining > 0")
                .execute(Tuple.of(accountId))
                .map(rows -> {
                    var value = rows.iterator().next().getOffsetDateTime(0);
                    return value == null ? null : value.toInstant();
                });
    }
}
