package io.membercard.common.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongFunction;

import org.junit.jupiter.api.Test;

import io.membercard.common.api.ApiException;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;

/** How a service reads a tenant's limits: its own values, the platform defaults, the cache and the fallbacks. */
class TenantLimitsTest {

    /** The platform defaults as shipped, kept {@code cacheFor}, with {@code rps} requests a second. */
    static LimitsConfig config(long rps, Duration cacheFor) {
        return new LimitsConfig() {
            @Override
            public long requestsPerSecond() {
                return rps;
            }

            @Override
            public long listRowsPerSecond() {
                return 5_000;
            }

            @Override
            public long batchCardsPerDay() {
                return 100_000;
            }

            @Override
            public long partnerCardsPerDay() {
                return 20_000;
            }

            @Override
            public long uploadsPerDay() {
                return 50;
            }

            @Override
            public long heavyJobs() {
                return 2;
            }

            @Override
            public Duration cacheFor() {
                return cacheFor;
            }

            @Override
            public Duration heavyJobLease() {
                return Duration.ofMinutes(15);
            }
        };
    }

    /** A source that counts its questions and answers what {@code answer} gives. */
    static final class Source implements TenantLimitSource {
        final AtomicInteger asked = new AtomicInteger();
        volatile LongFunction<Uni<Map<Limit, LimitSetting>>> answer = t -> Uni.createFrom().item(Map.of());

        @Override
        public Uni<Map<Limit, LimitSetting>> tenantValues(long tenantId) {
            asked.incrementAndGet();
            return answer.apply(tenantId);
        }
    }

    private static long get(TenantLimits limits, long tenant, Limit limit) {
        return limits.get(tenant, limit).await().atMost(Duration.ofSeconds(5));
    }

    @Test
    void aTenantWithoutValuesOfItsOwnHasThePlatformDefaults() {
        TenantLimits limits = new TenantLimits(new Source(), config(200, Duration.ofSeconds(30)));
        assertThat(limits.all(7).await().indefinitely()).containsEntry(Limit.REQUESTS_PER_SECOND, 200L)
                .containsEntry(Limit.BATCH_CARDS_PER_DAY, 100_000L).containsEntry(Limit.PARTNER_CARDS_PER_DAY, 20_000L)
                .containsEntry(Limit.UPLOADS_PER_DAY, 50L).containsEntry(Limit.HEAVY_JOBS, 2L);
    }

    @Test
    void aTenantsOwnValueCountsUpToTheDefaultAndAPlatformAdminsUpToTheCeiling() {
        Source source = new Source();
        source.answer = t -> Uni.createFrom().item(Map.of(
                Limit.REQUESTS_PER_SECOND, new LimitSetting("requestsPerSecond", 5, false),
                // Set when the default was higher: the operator lowered the default since, and it holds.
                Limit.UPLOADS_PER_DAY, new LimitSetting("uploadsPerDay", 80, false),
                Limit.BATCH_CARDS_PER_DAY, new LimitSetting("batchCardsPerDay", 500_000, true),
                Limit.HEAVY_JOBS, new LimitSetting("heavyJobs", 1_000, true)));
        TenantLimits limits = new TenantLimits(source, config(200, Duration.ofSeconds(30)));
        assertThat(get(limits, 7, Limit.REQUESTS_PER_SECOND)).isEqualTo(5);
        assertThat(get(limits, 7, Limit.UPLOADS_PER_DAY)).isEqualTo(50);
        assertThat(get(limits, 7, Limit.BATCH_CARDS_PER_DAY)).isEqualTo(500_000);
        assertThat(get(limits, 7, Limit.HEAVY_JOBS)).isEqualTo(Limit.HEAVY_JOBS.ceiling());
        assertThat(get(limits, 7, Limit.PARTNER_CARDS_PER_DAY)).isEqualTo(20_000);
    }

    @Test
    void valuesAreKeptAWhileThenAskedAgainAndEvictionAsksAtOnce() throws Exception {
        Source source = new Source();
        TenantLimits limits = new TenantLimits(source, config(200, Duration.ofMillis(300)));
        get(limits, 7, Limit.REQUESTS_PER_SECOND);
        get(limits, 7, Limit.HEAVY_JOBS);
        get(limits, 8, Limit.HEAVY_JOBS);
        assertThat(source.asked).hasValue(2);
        Thread.sleep(400);
        get(limits, 7, Limit.HEAVY_JOBS);
        assertThat(source.asked).hasValue(3);
        limits.evict(7);
        get(limits, 7, Limit.HEAVY_JOBS);
        assertThat(source.asked).hasValue(4);
    }

    @Test
    void requestsThatArriveTogetherWaitForOneAnswer() {
        Source source = new Source();
        List<UniEmitter<? super Map<Limit, LimitSetting>>> pending = new ArrayList<>();
        source.answer = t -> Uni.createFrom().emitter(pending::add);
        TenantLimits limits = new TenantLimits(source, config(200, Duration.ofSeconds(30)));
        List<Long> answers = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            limits.get(7, Limit.REQUESTS_PER_SECOND).subscribe().with(answers::add);
        }
        assertThat(source.asked).hasValue(1);
        assertThat(answers).isEmpty();
        pending.get(0).complete(Map.of(Limit.REQUESTS_PER_SECOND, new LimitSetting("requestsPerSecond", 9, false)));
        assertThat(answers).hasSize(20).containsOnly(9L);
    }

    @Test
    void aSourceThatCannotAnswerNeverMeansUnlimited() {
        Source source = new Source();
        source.answer = t -> Uni.createFrom().item(Map.of(Limit.REQUESTS_PER_SECOND,
                new LimitSetting("requestsPerSecond", 5, false)));
        TenantLimits limits = new TenantLimits(source, config(200, Duration.ZERO));
        // Known before: kept while the source is down.
        assertThat(get(limits, 7, Limit.REQUESTS_PER_SECOND)).isEqualTo(5);
        source.answer = t -> Uni.createFrom().failure(new IllegalStateException("member-service down"));
        assertThat(get(limits, 7, Limit.REQUESTS_PER_SECOND)).isEqualTo(5);
        // Never known: the platform defaults.
        assertThat(get(limits, 8, Limit.REQUESTS_PER_SECOND)).isEqualTo(200);
        assertThat(get(limits, 8, Limit.UPLOADS_PER_DAY)).isEqualTo(50);
        int asked = source.asked.get();
        // The defaults stand in for a few seconds before the source is asked again.
        get(limits, 8, Limit.REQUESTS_PER_SECOND);
        assertThat(source.asked).hasValue(asked);
        // A source that throws instead of failing is no different.
        source.answer = t -> {
            throw new IllegalStateException("no client");
        };
        assertThat(get(limits, 9, Limit.HEAVY_JOBS)).isEqualTo(2);
    }

    @Test
    void aPlatformDefaultOutsideItsRangeStopsTheService() {
        assertThatThrownBy(() -> new TenantLimits(new Source(), config(0, Duration.ofSeconds(30))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("membercard.limits.requests-per-second is 0: it must be from 1 to 10000");
        assertThatThrownBy(() -> new TenantLimits(new Source(), config(10_001, Duration.ofSeconds(30))))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void limitsAreNamedOnTheWire() {
        assertThat(Limit.of("name", " batchCardsPerDay ")).isEqualTo(Limit.BATCH_CARDS_PER_DAY);
        assertThatThrownBy(() -> Limit.of("name", "cardsPerDay")).isInstanceOf(ApiException.class)
                .hasMessage("name: must be one of requestsPerSecond, listRowsPerSecond, batchCardsPerDay, "
                        + "partnerCardsPerDay, uploadsPerDay, heavyJobs");
        assertThatThrownBy(() -> Limit.of("name", null)).hasMessage("name: is required");
    }
}
