package io.membercard.settlement.dayclose;

import java.time.LocalDate;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import io.membercard.common.events.Outbox;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Sends a shop-day's state to payment-service ({@code day.state}: {@code shopId}, {@code date}, {@code closed},
 * {@code allowed}, {@code revision}) in the transaction that changed it: closed, reopened, or allowed to trade on by a
  * manager. payment-service uses it for what a shop's money operations get while its previous day is not closed. The
 * state is read whole in that transaction and numbered, so a repeated or late event never undoes a newer one. A day
 * is closed when its newest finished close is (904 or 905, whatever its checks found: the day was closed; a reopened
 * one is not); a re-close running meanwhile changes nothing until it ends.
 */
@ApplicationScoped
public class DayStates {
    public static final String EVENT = "day.state";

    private final Outbox outbox;

    public DayStates(Outbox outbox) {
        this.outbox = outbox;
    }

    public Uni<Void> publish(SqlClient tx, long tenantId, long shopId, LocalDate date) {
        // One change of the shop-day at a time takes its revision and reads the state after the one before it
        // committed: a newer revision never describes an older state.
        return tx.preparedQuery("select pg_advisory_xact_lock(hashtextextended($1, 0))")
                .execute(Tuple.of("day.state:" + tenantId + ":" + shopId + ":" + date))
                .flatMap(locked -> tx.preparedQuery(
                        """
                                select nextval('day_state_revision'),
                                       coalesce((select state from day_close
                                                 where tenant_id = $1 and coalesce(shop_id, 0) = $2 and business_date = $3
                                                   and state <> 'RUNNING'
                                                 order by version desc limit 1), '') = 'CLOSED',
                                       exists (select 1 from day_allow where tenant_id = $1 and shop_id = $2 and business_date = $3)""")
                        .execute(Tuple.of(tenantId, shopId, date)))
                .flatMap(rows -> {
                    var row = rows.iterator().next();
                    return outbox.append(tx, tenantId, EVENT, tenantId + ":" + shopId + ":" + date,
                            Map.of("shopId", shopId, "date", date.toString(), "closed", row.getBoolean(1),
                                    "allowed", row.getBoolean(2), "revision", row.getLong(0)));
                })
                .replaceWithVoid();
    }
}
