package io.membercard.card.partner;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.membercard.common.limits.Limit;
import io.membercard.common.limits.Quotas;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The cards a tenant's partners may issue in a day ({@link Limit#PARTNER_CARDS_PER_DAY}). A request is idempotent by
 * its cards' keys (partner and card number, or partner, batch and number within it: each card keeps its key as
 * {@code issue_key}), so a resend with a new nonce finds the cards of the first: it takes only the cards no card of
 * the tenant has the key of yet, before anything is issued. Once the request has run, whatever it took and did not
 * issue (refused rows, a failure part-way) is given back; cards made before a failure stay counted.
 */
@ApplicationScoped
public class PartnerQuota {
    private final Pool pool;
    private final Quotas quotas;

    public PartnerQuota(Pool pool, Quotas quotas) {
        this.pool = pool;
        this.quotas = quotas;
    }

    /** What a request took: of {@code keys}, {@code issuedBefore} had their cards already. */
    public record Counted(long tenantId, List<String> keys, long issuedBefore, Quotas.Taken taken) {
    }

    /**
     * Takes the cards of {@code keys} not issued yet, or refuses with the quota's {@code LimitExceeded} (429), or
     * fails with 500 when the day's count cannot be kept; nothing is issued then.
     */
    public Uni<Counted> take(long tenantId, List<String> keys) {
        return issued(tenantId, keys).flatMap(before -> quotas.take(tenantId, Limit.PARTNER_CARDS_PER_DAY,
                keys.size() - before).map(taken -> new Counted(tenantId, keys, before, taken)));
    }

    /** After the request: gives back what it took and did not issue. Best effort (a failure keeps it counted). */
    public Uni<Void> settle(Counted counted) {
        if (counted.taken().nothing()) {
            return Uni.createFrom().voidItem();
        }
        return issued(counted.tenantId(), counted.keys()).flatMap(after -> {
            long unused = counted.taken().amount() - (after - counted.issuedBefore());
            if (unused <= 0) {
                return Uni.createFrom().voidItem();
            }
            Quotas.Taken taken = counted.taken();
            return quotas.giveBack(new Quotas.Taken(taken.tenantId(), taken.limit(), Math.min(unused,
                    taken.amount()), taken.day()));
        }).onFailure().recoverWithNull();
    }

    /** How many of {@code keys} a card of the tenant has. */
    private Uni<Long> issued(long tenantId, List<String> keys) {
        return pool.preparedQuery("select count(*) from card where tenant_id = $1 and issue_key = any($2)")
                .execute(Tuple.of(tenantId, keys.toArray(String[]::new)))
                .map(rows -> rows.iterator().next().getLong(0));
    }
}
