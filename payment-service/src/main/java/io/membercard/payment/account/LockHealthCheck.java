package io.membercard.payment.account;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;

/**
 * Readiness of the balance locks. payment-service stays ready when Redis is down (payments go on under database
 * locks), so this check reports Redis's state in its data instead of failing: mode {@code redis} or
 * {@code database-only}.
 */
@Readiness
@ApplicationScoped
public class LockHealthCheck implements AsyncHealthCheck {
    private final ReactiveRedisDataSource redis;

    public LockHealthCheck(ReactiveRedisDataSource redis) {
        this.redis = redis;
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        return redis.execute("PING").ifNoItem().after(Duration.ofMillis(500)).fail()
                .map(pong -> HealthCheckResponse.named("Redis (balance locks)").up().withData("mode", "redis")
                        .build())
                .onFailure().recoverWithItem(e -> HealthCheckResponse.named("Redis (balance locks)").up()
                        .withData("mode", "database-only").withData("redis", "unavailable").build());
    }
}
