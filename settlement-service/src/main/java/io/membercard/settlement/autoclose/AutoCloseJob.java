package io.membercard.settlement.autoclose;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.membercard.common.api.ApiException;
import io.membercard.common.api.StatusCode;
import io.membercard.common.days.BusinessDay;
import io.membercard.common.days.DaySettings;
import io.membercard.common.db.JobLease;
import io.membercard.settlement.config.SettlementConfig;
import io.membercard.settlement.dayclose.DayCloseRepository;
import io.membercard.settlement.dayclose.DayCloseService;
import io.membercard.settlement.settings.TenantDaySettings;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Closes the days of tenants that switched automatic closing on, {@code graceMinutes} after each day ends: every shop
 * with entries in the day that has no close yet (or whose close was interrupted), then the head office. One replica
 * at a time (a lease on {@code auto_close_state}); each close is the same close a POST makes (one per shop-day
 * whoever starts it), recorded as by {@value #USER}. A day that a manager reopened, or whose close failed its checks,
 * is left to people. Looks back {@code auto-close-days} days, and only at days that ended after the switch was
 * turned on; a tenant-day it has finished is not looked at again.
 */
@ApplicationScoped
public class AutoCloseJob {
    public static final String USER = "auto-close";
    private static final Logger LOG = Logger.getLogger(AutoCloseJob.class);

    private final Pool pool;
    private final JobLease lease;
    private final DayCloseService closes;
    private final TenantDaySettings settings;
    private final SettlementConfig config;

    public AutoCloseJob(Pool pool, DayCloseService closes, TenantDaySettings settings, SettlementConfig config) {
        this.pool = pool;
        this.lease = new JobLease(pool, "auto_close_state");
        this.closes = closes;
        this.settings = settings;
        this.config = config;
    }

    @Scheduled(every = "${membercard.settlement.auto-close-every:60s}", delayed = "5s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        return pass().replaceWithVoid().onFailure().recoverWithItem(e -> {
            LOG.warnf("automatic close pass failed: %s", e.toString());
            return null;
        });
    }

    /** One pass over every tenant that closes automatically; answers how many closes it started (0: another ran it). */
    public Uni<Integer> pass() {
        return lease.take("id").flatMap(leased -> leased.isEmpty()
                ? Uni.createFrom().item(0)
                : tenants().flatMap(this::closeAll)
                        .eventually(() -> lease.release("last_pass_at = now()")));
    }

    private record Tenant(long id, DaySettings settings) {
    }

    private Uni<List<Tenant>> tenants() {
        return pool.preparedQuery("""
                select tenant_id, settings::text from tenant_day_setting
                where settings ->> 'autoClose' = 'true' order by tenant_id""").execute()
                .map(rows -> {
                    List<Tenant> tenants = new ArrayList<>();
                    for (Row row : rows) {
                        tenants.add(new Tenant(row.getLong(0), settings.parse(row.getString(1))));
                    }
                    return tenants;
                });
    }

    private Uni<Integer> closeAll(List<Tenant> tenants) {
        Uni<Integer> chain = Uni.createFrom().item(0);
        for (Tenant tenant : tenants) {
            // A tenant that fails is logged and left for the next pass; the others go on.
            chain = chain.flatMap(n -> lease.renew().flatMap(ignored -> closeTenant(tenant))
                    .onFailure(e -> !(e instanceof JobLease.Lost)).recoverWithItem(e -> {
                        LOG.warnf("automatic close of tenant %d failed: %s", tenant.id(), e.toString());
                        return 0;
                    })
                    .map(more -> n + more));
        }
        return chain;
    }

    /** The tenant's days that are due: ended {@code graceMinutes} ago, after the switch was turned on. */
    static List<BusinessDay> due(DaySettings days, Instant now, int lookBack) {
        LocalDate today = days.holding(now);
        List<BusinessDay> due = new ArrayList<>();
        for (int back = lookBack; back >= 1; back--) {
            BusinessDay day = days.day(today.minusDays(back));
            if (!day.end().plusSeconds(60L * days.graceMinutes()).isAfter(now)
                    && (days.autoCloseSince() == null || day.end().isAfter(days.autoCloseSince()))) {
                due.add(day);
            }
        }
        return due;
    }

    private Uni<Integer> closeTenant(Tenant tenant) {
        List<BusinessDay> due = due(tenant.settings(), Instant.now(), config.autoCloseDays());
        Uni<Integer> chain = Uni.createFrom().item(0);
        for (BusinessDay day : due) {
            chain = chain.flatMap(n -> done(tenant.id(), day.date()).flatMap(done -> done
                    ? Uni.createFrom().item(n)
                    : closeDay(tenant.id(), day).map(more -> n + more)));
        }
        return chain;
    }

    private Uni<Boolean> done(long tenantId, LocalDate date) {
        return pool.preparedQuery("select 1 from auto_close_day where tenant_id = $1 and business_date = $2")
                .execute(Tuple.of(tenantId, date)).map(rows -> rows.iterator().hasNext());
    }

    /** Closes the day's shops that need it, then the head office; marks the day done when nothing is left. */
    private Uni<Integer> closeDay(long tenantId, BusinessDay day) {
        return shopsToClose(tenantId, day).flatMap(shops -> {
            Uni<Integer> chain = Uni.createFrom().item(0);
            for (Long shop : shops) {
                chain = chain.flatMap(n -> lease.renew().flatMap(ignored -> close(tenantId, shop, day.date()))
                        .map(started -> n + started));
            }
            return chain.flatMap(n -> shopsToClose(tenantId, day).flatMap(left -> !left.isEmpty()
                    ? Uni.createFrom().item(n)
                    : lease.renew().flatMap(ignored -> headOffice(tenantId, day.date())).map(office -> n + office)));
        });
    }

    /**
     * The shops with entries in the day (settlement's record of the ledger; found shop by shop through the index)
     * whose latest close is missing or was interrupted.
     */
    private Uni<List<Long>> shopsToClose(long tenantId, BusinessDay day) {
        return pool.preparedQuery("""
                with recursive shops as (
                    (select shop_id from shop_entry where tenant_id = $1 and shop_id is not null
                     order by shop_id limit 1)
                    union all
                    select (select s.shop_id from shop_entry s where s.tenant_id = $1 and s.shop_id > shops.shop_id
                            order by s.shop_id limit 1)
                    from shops where shops.shop_id is not null)
                select shops.shop_id from shops
                where shops.shop_id is not null
                  and exists (select 1 from shop_entry e where e.tenant_id = $1 and e.shop_id = shops.shop_id
                                and e.created_at >= $2 and e.created_at < $3)
                                    and not exists (select 1 from day_close d
                                  where d.tenant_id = $1 and coalesce(d.shop_id, 0) = shops.shop_id
                                    and d.business_date = $4
                                    and (d.state in ('CLOSED', 'REOPENED') or d.leased_until > now()))
                order by shops.shop_id""")
                .execute(Tuple.of(tenantId, day.start().atOffset(ZoneOffset.UTC), day.end().atOffset(ZoneOffset.UTC),
                        day.date()))
                .map(DayCloseRepository::ids);
    }

    /** The head office's close once its shops are closed; the day is done when the head office has a close. */
    private Uni<Integer> headOffice(long tenantId, LocalDate date) {
        return pool.preparedQuery("""
                select state, leased_until > now() from day_close
                where tenant_id = $1 and shop_id is null and business_date = $2 order by version desc limit 1""")
                .execute(Tuple.of(tenantId, date)).flatMap(rows -> {
                    Row latest = rows.iterator().hasNext() ? rows.iterator().next() : null;
                    if (latest != null && !"RUNNING".equals(latest.getString(0))) {
                        return markDone(tenantId, date).replaceWith(0);
                    }
                    if (latest != null && Boolean.TRUE.equals(latest.getBoolean(1))) {
                        return Uni.createFrom().item(0);
                    }
                    return close(tenantId, null, date).flatMap(started -> markDoneIfClosed(tenantId, date)
                            .replaceWith(started));
                });
    }

    private Uni<Void> markDoneIfClosed(long tenantId, LocalDate date) {
        return pool.preparedQuery("""
                insert into auto_close_day (tenant_id, business_date)
                select $1, $2 where exists (select 1 from day_close where tenant_id = $1 and shop_id is null
                                              and business_date = $2 and state <> 'RUNNING')
                on conflict do nothing""").execute(Tuple.of(tenantId, date)).replaceWithVoid();
    }

    private Uni<Void> markDone(long tenantId, LocalDate date) {
        return pool.preparedQuery("insert into auto_close_day (tenant_id, business_date) values ($1, $2) "
                + "on conflict do nothing").execute(Tuple.of(tenantId, date)).replaceWithVoid();
    }

    /** One close as a POST makes it; refusals (no heavy-job place, shops not closed) are left for the next pass. */
    private Uni<Integer> close(long tenantId, Long shopId, LocalDate date) {
        return closes.close(tenantId, shopId, date, USER, null)
                .map(status -> {
                    LOG.infof("automatic close of tenant %d shop %s %s: %d", tenantId,
                            shopId == null ? "(all)" : shopId,
                            date, status.status());
                    return 1;
                })
                .onFailure(ApiException.class).recoverWithUni(e -> {
                    LOG.infof("automatic close of tenant %d shop %s %s not started: %s", tenantId,
                            shopId == null ? "(all)" : shopId, date, e.getMessage());
                    StatusCode why = ((ApiException) e).status();
                    // A tenant-day without entries has nothing to close: done. Refusals of the moment (no heavy-job
                    // place, a shop not closed yet) are left for the next pass.
                    return shopId == null && (why == StatusCode.NOT_FOUND || why == StatusCode.BAD_REQUEST)
                            ? markDone(tenantId, date).replaceWith(0)
                            : Uni.createFrom().item(0);
                });
    }
}
