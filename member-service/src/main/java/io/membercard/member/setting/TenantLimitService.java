package io.membercard.member.setting;

import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.membercard.common.api.ApiException;
import io.membercard.common.limits.HeavyJobs;
import io.membercard.common.limits.Limit;
import io.membercard.common.limits.LimitSetting;
import io.membercard.common.limits.Quotas;
import io.membercard.common.limits.TenantLimits;
import io.membercard.common.logging.LogText;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * The tenants' own limits (issue 10). They protect the platform and the other tenants from one tenant, so a tenant's
 * managers may only lower them (1 up to the platform default); a platform admin may set any value up to the limit's
 * ceiling; a value below the default that a platform admin set (a tenant held back) may then only be lowered by the
 * tenant, never raised or removed.
 * Saving the platform default removes the tenant's own value: the limit follows the default again. A change
 * applies here at once and in the other services within {@code membercard.limits.cache-for}.
 */
@ApplicationScoped
public class TenantLimitService {
    private static final Logger LOG = Logger.getLogger(TenantLimitService.class);

    private final Pool pool;
    private final TenantLimitRepository repository;
    private final TenantLimits limits;
    private final Quotas quotas;
    private final HeavyJobs jobs;

    public TenantLimitService(Pool pool, TenantLimitRepository repository, TenantLimits limits, Quotas quotas,
            HeavyJobs jobs) {
        this.pool = pool;
        this.repository = repository;
        this.limits = limits;
        this.quotas = quotas;
        this.jobs = jobs;
    }

    /** The limits the tenant set, for the other services ({@link InternalLimitResource}). */
    public Uni<Map<Limit, LimitSetting>> tenantValues(long tenantId) {
        return repository.findByTenant(pool, tenantId);
    }

    /** Every limit of the tenant, with what is used of it; {@code platformAdmin} decides {@code max}. */
    public Uni<List<LimitView>> list(long tenantId, boolean platformAdmin) {
        return repository.findByTenant(pool, tenantId).flatMap(set -> Multi.createFrom().items(Limit.values())
                .onItem().transformToUniAndConcatenate(limit -> used(tenantId, limit)
                        .map(used -> view(limit, set.get(limit), platformAdmin, used)))
                .collect().asList());
    }

    /** Sets the tenant's own value of {@code limit}; answers the limit as it is now. */
    public Uni<LimitView> save(long tenantId, Limit limit, long value, boolean platformAdmin, String userId) {
        long platformDefault = limits.platformDefault(limit);
        if (value > limit.ceiling()) {
            throw ApiException.badInput("value", "must be at most " + limit.ceiling() + " for " + limit.wireName());
        }
        if (!platformAdmin && value > platformDefault) {
            throw ApiException.forbidden("value: a tenant may only lower its limits: " + limit.wireName()
                    + " may be at most " + platformDefault + " (the platform's default); ask the platform operator "
                    + "for more");
        }
        return repository.findByTenant(pool, tenantId).flatMap(set -> {
            LimitSetting current = set.get(limit);
            // The platform operator held this tenant below the default: its managers may go lower, not back up.
            boolean byPlatform = current != null && current.setByPlatform() && current.value() < platformDefault;
            if (byPlatform && !platformAdmin && value > current.value()) {
                return Uni.createFrom().failure(ApiException.forbidden("value: the platform operator set "
                        + limit.wireName() + " to " + current.value() + " for this tenant; a tenant may only lower "
                        + "it"));
            }
            Uni<Void> write = value == platformDefault && (platformAdmin || !byPlatform)
                    ? repository.remove(pool, tenantId, limit)
                    : repository.save(pool, tenantId, limit, value, platformAdmin || byPlatform,
                            userId.length() > 64 ? userId.substring(0, 64) : userId);
            return written(tenantId, limit, value, platformAdmin, userId, write);
        });
    }

    private Uni<LimitView> written(long tenantId, Limit limit, long value, boolean platformAdmin, String userId,
            Uni<Void> write) {
        return write.invoke(() -> {
            limits.evict(tenantId);
            LOG.infof("tenant %d: limit %s set to %d by %s%s", tenantId, limit.wireName(), value,
                    LogText.bounded(userId), platformAdmin ? " (platform admin)" : "");
        }).flatMap(ignored -> list(tenantId, platformAdmin))
                .map(views -> views.stream().filter(v -> v.name().equals(limit.wireName())).findFirst()
                        .orElseThrow());
    }

    private LimitView view(Limit limit, LimitSetting setting, boolean platformAdmin, Long used) {
        long platformDefault = limits.platformDefault(limit);
        return new LimitView(limit.wireName(), limit.what(), limits.effective(limit, setting), platformDefault,
                setting != null, platformAdmin ? limit.ceiling() : platformDefault, used);
    }

    private Uni<Long> used(long tenantId, Limit limit) {
        return switch (limit.period()) {
            case DAY -> quotas.usedToday(tenantId, limit);
            case AT_ONCE -> jobs.held(tenantId);
            case SECOND -> Uni.createFrom().nullItem();
        };
    }
}
