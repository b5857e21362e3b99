package io.membercard.common.limits;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.membercard.common.api.ApiException;
import io.membercard.common.api.StatusCode;
import io.membercard.common.config.CommonConfig;
import io.membercard.common.logging.LogText;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Response;

/**
 * The places of a tenant's heavy jobs ({@link Limit#HEAVY_JOBS}: imports, migrations and their dry runs, day
 * closes), shared by every service in Redis: a job takes a place when it is asked for (queued), renews it while it
 * runs, and gives it back when it ends. A place is a lease ({@code membercard.limits.heavy-job-lease}): a job whose
 * runner died without giving it back frees it when the lease runs out.
 * <p>
 * One Lua script drops the expired places, counts the others and adds the new one, so that jobs asked for at the
 * same moment never pass the limit together. A job names itself ({@code "import:42"}): taking a place it holds
 * already only renews it. When Redis cannot answer, a new job is refused (500, try again); renewing and giving
 * back are best effort. Keys carry the tenant as a hash tag.
 */
@ApplicationScoped
public class HeavyJobs {
    private static final Logger LOG = Logger.getLogger(HeavyJobs.class);

    /**
     * KEYS: the tenant's places. ARGV: job, lease ms, limit (0: no limit, renew). Answers {1, held} when the job has
     * its place, {0, held} when refused. Times are Redis's own, the same for every instance.
     */
    private static final String TAKE = """
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
            redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
            local limit = tonumber(ARGV[3])
            if limit > 0 and not redis.call('ZSCORE', KEYS[1], ARGV[1]) then
              local held = redis.call('ZCARD', KEYS[1])
              if held >= limit then return {0, held} end
            end
            redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[1])
            redis.call('PEXPIRE', KEYS[1], ARGV[2])
            return {1, redis.call('ZCARD', KEYS[1])}
            """;

    /** KEYS: the tenant's places. Answers how many are held now. */
    private static final String HELD = """
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
            return redis.call('ZCOUNT', KEYS[1], now, '+inf')
            """;

    private final ReactiveRedisDataSource redis;
    private final TenantLimits limits;
    private final String prefix;
    private final Duration lease;
    private final Counter refused;

    public HeavyJobs(ReactiveRedisDataSource redis, TenantLimits limits, LimitsConfig config, CommonConfig common,
            MeterRegistry registry) {
        this.redis = redis;
        this.limits = limits;
        this.lease = config.heavyJobLease();
        this.prefix = common.redisKeyPrefix() + ":jobs:";
        this.refused = registry.counter("membercard.limits.heavy.jobs.refused");
    }

    /**
     * Takes a place for {@code job} (e.g. {@code "import:42"}, unique within the tenant), or refuses with
     * {@link LimitExceeded} (429) when the tenant's places are all held; holding one already only renews it. Fails
     * with 500 when Redis cannot answer. Call it before the job is recorded or in the transaction that records it,
     * and {@link #release} it if that fails.
     */
    public Uni<Void> take(long tenantId, String job) {
        named(job);
        return limits.get(tenantId, Limit.HEAVY_JOBS).flatMap(most -> run(tenantId, job, most)
                .onFailure().transform(e -> {
                    LOG.warnf("tenant %d: heavy job %s cannot be counted (Redis): %s; new ones are refused until it "
                            + "answers", tenantId, LogText.bounded(job), LogText.error(e));
                    return new ApiException(StatusCode.INTERNAL, "heavy jobs cannot be counted at the moment; "
                            + "nothing was done, try again in a minute");
                })
                .map(reply -> {
                    if (reply.get(0).toLong() == 1) {
                        return null;
                    }
                    refused.increment();
                    long held = reply.get(1).toLong();
                    LOG.infof("tenant %d: heavy job %s refused: %d of %d places held", tenantId, LogText.bounded(job),
                            held, most);
                    throw new LimitExceeded(Limit.HEAVY_JOBS, "limit " + Limit.HEAVY_JOBS.wireName() + " reached: "
                            + "this tenant may have " + most + " " + Limit.HEAVY_JOBS.what() + ", and " + held
                            + " are; nothing was done. Try again when one has finished", 60);
                }));
    }

    /**
     * Keeps {@code job}'s place for another lease, taking it again if it had run out, whatever the limit: a job that
     * has started finishes. Runners call it as they claim a job and at each checkpoint. Best effort.
     */
    public Uni<Void> renew(long tenantId, String job) {
        named(job);
        return run(tenantId, job, 0).replaceWithVoid().onFailure().recoverWithItem(e -> {
            LOG.warnf("tenant %d: heavy job %s could not renew its place (Redis): %s", tenantId,
                    LogText.bounded(job), LogText.error(e));
            return null;
        });
    }

    /** Gives back {@code job}'s place (it ended, or was never recorded). Best effort: a lost one runs out. */
    public Uni<Void> release(long tenantId, String job) {
        named(job);
        return redis.execute("ZREM", key(tenantId), job).replaceWithVoid().onFailure().recoverWithItem(e -> {
            LOG.warnf("tenant %d: heavy job %s could not give back its place (Redis): %s; it frees itself when its "
                    + "lease runs out", tenantId, LogText.bounded(job), LogText.error(e));
            return null;
        });
    }

    /** How many places the tenant's jobs hold now; null when Redis cannot answer. */
    public Uni<Long> held(long tenantId) {
        return redis.execute("EVAL", HELD, "1", key(tenantId)).map(reply -> reply == null ? 0L : reply.toLong())
                .onFailure().recoverWithNull();
    }

    private static void named(String job) {
        if (job == null || job.isBlank()) {
            throw new IllegalArgumentException("a heavy job needs a name");
        }
    }

    private Uni<Response> run(long tenantId, String job, long limit) {
        return redis.execute("EVAL", TAKE, "1", key(tenantId), job, Long.toString(lease.toMillis()),
                Long.toString(limit)).map(reply -> {
                    if (reply == null || reply.size() != 2) {
                        throw new IllegalStateException("unexpected answer " + reply);
                    }
                    return reply;
                });
    }

    private String key(long tenantId) {
        return prefix + "{" + tenantId + "}";
    }
}
