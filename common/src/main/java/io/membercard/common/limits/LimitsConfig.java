package io.membercard.common.limits;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * The platform's default of every {@link Limit} ({@code membercard.limits.*}, one per environment: the operator's
 * setting, e.g. {@code MEMBERCARD_LIMITS_REQUESTS_PER_SECOND}), and how the services share tenants' own values. A
 * tenant's own value is member-service's ({@code api/member/setting/savelimit}); a default above its limit's
 * ceiling stops the service at start.
 */
@ConfigMapping(prefix = "membercard.limits")
public interface LimitsConfig {

    /** A tenant's requests a second to one service, all its users together (429 beyond). */
    @WithDefault("200")
    long requestsPerSecond();

    /** Rows a tenant's list pages may ask of one service in a second (a page costs its pageSize; 429 beyond). */
    @WithDefault("5000")
    long listRowsPerSecond();

    /** Cards batch orders may create for a tenant in a day (the platform's zone). */
    @WithDefault("100000")
    long batchCardsPerDay();

    /** Cards a tenant's partners may issue in a day. */
    @WithDefault("20000")
    long partnerCardsPerDay();

    /** Member files a tenant may upload in a day. */
    @WithDefault("50")
    long uploadsPerDay();

    /** Imports, migrations (dry runs too) and day closes a tenant may have queued or running at once. */
    @WithDefault("2")
    long heavyJobs();

    /** How long a service keeps a tenant's limits before it asks member-service again. */
    @WithDefault("30s")
    Duration cacheFor();

    /** How long a heavy job keeps its place without being renewed (a runner that died gives it back so). */
    @WithDefault("15m")
    Duration heavyJobLease();

    /** The platform default of {@code limit}. */
    default long platformDefault(Limit limit) {
        return switch (limit) {
            case REQUESTS_PER_SECOND -> requestsPerSecond();
            case LIST_ROWS_PER_SECOND -> listRowsPerSecond();
            case BATCH_CARDS_PER_DAY -> batchCardsPerDay();
            case PARTNER_CARDS_PER_DAY -> partnerCardsPerDay();
            case UPLOADS_PER_DAY -> uploadsPerDay();
            case HEAVY_JOBS -> heavyJobs();
        };
    }
}
