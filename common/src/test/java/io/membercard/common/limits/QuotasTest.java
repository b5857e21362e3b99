package io.membercard.common.limits;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.nullValue;

import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import org.junit.jupiter.api.Test;

import io.membercard.common.api.StatusCode;
import io.membercard.common.testing.AuthTestResource;
import io.membercard.common.testing.Concurrently;
import io.membercard.common.testing.Tokens;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Daily quotas and heavy jobs' places, counted in Redis: atomic, refused whole, given back. */
@QuarkusTest
@QuarkusTestResource(AuthTestResource.class)
class QuotasTest {
    private final Quotas quotas;
    private final HeavyJobs jobs;
    private final RedisDataSource redis;

    QuotasTest(Quotas quotas, HeavyJobs jobs, RedisDataSource redis) {
        this.quotas = quotas;
        this.jobs = jobs;
        this.redis = redis;
    }

    private static long newTenant() {
        return ThreadLocalRandom.current().nextLong(1_000_000, 1_000_000_000);
    }

    private String dayKey(long tenant) {
        return "mctest:quota:{" + tenant + "}:batchCardsPerDay:"
                + DateTimeFormatter.BASIC_ISO_DATE.format(LocalDate.now(ZoneId.of("Asia/Shanghai")));
    }

    @Test
    void fiftyTakesAtOnceNeverPassTheLimitAndARefusalCountsNothing() {
        long tenant = newTenant();
        FixedLimitSource.set(tenant, Limit.BATCH_CARDS_PER_DAY, 10);
        Map<Boolean, Long> outcomes = Concurrently.counted(50, n -> {
            try {
                quotas.take(tenant, Limit.BATCH_CARDS_PER_DAY, 1).await().indefinitely();
                return true;
            } catch (LimitExceeded e) {
                return false;
            }
        });
        assertThat(outcomes).containsEntry(true, 10L).containsEntry(false, 40L);
        assertThat(redis.value(Long.class).get(dayKey(tenant))).isEqualTo(10);
        // Kept two days, never longer.
        assertThat(redis.key().pttl(dayKey(tenant))).isBetween(1L, 2 * 24 * 3600 * 1000L);
    }

    @Test
    void anAmountThatDoesNotFitIsRefusedWholeNamingWhatIsLeftAndAGivenBackAmountFitsAgain() {
        long tenant = newTenant();
        FixedLimitSource.set(tenant, Limit.BATCH_CARDS_PER_DAY, 100);
        Quotas.Taken first = quotas.take(tenant, Limit.BATCH_CARDS_PER_DAY, 70).await().indefinitely();
        assertThatThrownBy(() -> quotas.take(tenant, Limit.BATCH_CARDS_PER_DAY, 31).await().indefinitely())
                .isInstanceOfSatisfying(LimitExceeded.class, e -> {
                    assertThat(e.status()).isEqualTo(StatusCode.TOO_MANY_REQUESTS);
                    assertThat(e.limit()).isEqualTo(Limit.BATCH_CARDS_PER_DAY);
                    assertThat(e.getMessage()).startsWith("daily limit batchCardsPerDay reached: this tenant's limit "
                            + "is 100 cards made by batch orders a day, 30 left today, and this request needs 31; "
                            + "nothing was done. The count starts again at 00:00 (Asia/Shanghai), in ");
                    assertThat(e.retryAfterSeconds()).isBetween(1L, 24 * 3600L);
                });
        assertThat(quotas.usedToday(tenant, Limit.BATCH_CARDS_PER_DAY).await().indefinitely()).isEqualTo(70);
        quotas.take(tenant, Limit.BATCH_CARDS_PER_DAY, 30).await().indefinitely();
        quotas.giveBack(first).await().indefinitely();
        assertThat(quotas.usedToday(tenant, Limit.BATCH_CARDS_PER_DAY).await().indefinitely()).isEqualTo(30);
        quotas.take(tenant, Limit.BATCH_CARDS_PER_DAY, 70).await().indefinitely();
        // Giving back more than is counted never goes below zero.
        quotas.giveBack(new Quotas.Taken(tenant, Limit.BATCH_CARDS_PER_DAY, 500, first.day())).await().indefinitely();
        assertThat(quotas.usedToday(tenant, Limit.BATCH_CARDS_PER_DAY).await().indefinitely()).isZero();
        // Another tenant's count is its own, with the platform default.
        assertThat(quotas.usedToday(tenant + 1, Limit.BATCH_CARDS_PER_DAY).await().indefinitely()).isZero();
        quotas.take(tenant + 1, Limit.BATCH_CARDS_PER_DAY, 100_000).await().indefinitely();
        assertThatThrownBy(() -> quotas.take(tenant + 1, Limit.BATCH_CARDS_PER_DAY, 1).await().indefinitely())
                .isInstanceOf(LimitExceeded.class);
        assertThatThrownBy(() -> quotas.take(tenant, Limit.HEAVY_JOBS, 1)).isInstanceOf(
                IllegalArgumentException.class);
    }

    @Test
    void aRefusedCommandAnswers429WithTheEnvelopeAndRetryAfter() {
        long tenant = newTenant();
        FixedLimitSource.set(tenant, Limit.BATCH_CARDS_PER_DAY, 5);
        String manager = Tokens.manager(tenant);
        given().header("Authorization", manager).queryParam("count", 5).post("/probe/limits/cards").then()
                .statusCode(200).body("data", equalTo(5));
        given().header("Authorization", manager).queryParam("count", 1).post("/probe/limits/cards").then()
                .statusCode(429).header("Retry-After", matchesPattern("\\d+")).body("status", equalTo(429))
                .body("message", matchesPattern("daily limit batchCardsPerDay reached: this tenant's limit is 5 "
                        + "cards made by batch orders a day, 0 left today, and this request needs 1; nothing was "
                        + "done\\. The count starts again at 00:00 \\(Asia/Shanghai\\), in \\d+ (h \\d+ )?min"))
                .body("data", nullValue());
    }

    @Test
    void heavyJobsHoldTheirPlacesUntilTheyEndAndJobsAskedTogetherNeverPassTheLimit() {
        long tenant = newTenant();
        List<Boolean> outcomes = Concurrently.run(12, n -> {
            try {
                jobs.take(tenant, "import:" + n).await().indefinitely();
                return true;
            } catch (LimitExceeded e) {
                return false;
            }
        });
        assertThat(outcomes.stream().filter(ok -> ok)).hasSize(2);
        assertThat(jobs.held(tenant).await().indefinitely()).isEqualTo(2);
        int holder = outcomes.indexOf(true);
        // Asking again for a job that holds a place only renews it.
        jobs.take(tenant, "import:" + holder).await().indefinitely();
        String manager = Tokens.manager(tenant);
        given().header("Authorization", manager).queryParam("name", "dayclose:1:2026-11-23")
                .post("/probe/limits/job").then().statusCode(429).header("Retry-After", "60")
                .body("status", equalTo(429)).body("message", equalTo("limit heavyJobs reached: this tenant may have 2 "
                        + "imports, migrations and day closes queued or running at once, and 2 are; nothing was "
                        + "done. Try again when one has finished"));
        jobs.release(tenant, "import:" + holder).await().indefinitely();
        given().header("Authorization", manager).queryParam("name", "dayclose:1:2026-11-23")
                .post("/probe/limits/job").then().statusCode(200);
        // A job that has started keeps running: renewing never refuses, even over the limit.
        jobs.renew(tenant, "import:" + holder).await().indefinitely();
        assertThat(jobs.held(tenant).await().indefinitely()).isEqualTo(3);
        assertThat(redis.key().pttl("mctest:jobs:{" + tenant + "}")).isBetween(1L, 15 * 60 * 1000L);
        // Another tenant has places of its own.
        jobs.take(tenant + 1, "import:1").await().indefinitely();
    }
}
