package io.membercard.common.lock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import io.membercard.common.testing.Concurrently;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;

@QuarkusTest
class RedisLockTest {
    private final RedisLock lock;
    private final RedisDataSource redis;
    private final MeterRegistry metrics;

    RedisLockTest(RedisLock lock, RedisDataSource redis, MeterRegistry metrics) {
        this.lock = lock;
        this.redis = redis;
        this.metrics = metrics;
    }

    private static String name() {
        return "test-" + UUID.randomUUID();
    }

    private String valueOf(LockHandle handle) {
        return redis.value(String.class).get(handle.key());
    }

    @Test
    void acquireWritesARandomTokenWithTtlAndReleaseDeletesIt() {
        LockHandle handle = lock.acquire(name(), Duration.ofSeconds(5), Duration.ZERO).await().indefinitely();
        assertThat(valueOf(handle)).isEqualTo(handle.token()).hasSize(32);
        assertThat(redis.key().pttl(handle.key())).isBetween(1L, 5000L);
        assertThat(lock.release(handle).await().indefinitely()).isTrue();
        assertThat(valueOf(handle)).isNull();
    }

    @Test
    void aBusyLockMakesTheSecondCallerWaitThenGiveUp() {
        String name = name();
        double timeoutsBefore = metrics.counter("membercard.lock.timeouts").count();
        LockHandle first = lock.acquire(name, Duration.ofSeconds(5), Duration.ZERO).await().indefinitely();
        long start = System.nanoTime();
        assertThatThrownBy(() -> lock.acquire(name, Duration.ofSeconds(5), Duration.ofMillis(300))
                .await().indefinitely()).isInstanceOf(LockTimeoutException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(290),
                Duration.ofSeconds(2));
        assertThat(metrics.counter("membercard.lock.timeouts").count()).isEqualTo(timeoutsBefore + 1);
        lock.release(first).await().indefinitely();
    }

    @Test
    void aWaiterGetsTheLockOnceItIsReleased() {
        String name = name();
        LockHandle first = lock.acquire(name, Duration.ofSeconds(5), Duration.ZERO).await().indefinitely();
        Uni<LockHandle> second = lock.acquire(name, Duration.ofSeconds(5), Duration.ofSeconds(3));
        var pending = second.subscribeAsCompletionStage();
        lock.release(first).await().indefinitely();
        LockHandle got = pending.join();
        assertThat(got.token()).isNotEqualTo(first.token());
        lock.release(got).await().indefinitely();
    }

    @Test
    void anExpiredLockCanBeTakenAndItsOldOwnerCannotReleaseTheNewOne() throws InterruptedException {
        String name = name();
        double lostBefore = metrics.counter("membercard.lock.lost").count();
        LockHandle old = lock.acquire(name, Duration.ofMillis(100), Duration.ZERO).await().indefinitely();
        Thread.sleep(200);
        LockHandle current = lock.acquire(name, Duration.ofSeconds(5), Duration.ZERO).await().indefinitely();

        assertThat(lock.release(old).await().indefinitely()).isFalse();
        assertThat(valueOf(current)).isEqualTo(current.token());
        assertThat(metrics.counter("membercard.lock.lost").count()).isEqualTo(lostBefore + 1);
        assertThat(lock.release(current).await().indefinitely()).isTrue();
    }

    @Test
    void onlyTheOwnerCanExtendALock() throws InterruptedException {
        LockHandle owner = lock.acquire(name(), Duration.ofMillis(300), Duration.ZERO).await().indefinitely();
        LockHandle impostor = new LockHandle(owner.name(), owner.key(), "not-the-token", System.nanoTime());
        assertThat(lock.extend(impostor).await().indefinitely()).isFalse();
        assertThat(lock.extend(owner).await().indefinitely()).isTrue();
        assertThat(redis.key().pttl(owner.key())).isGreaterThan(1000L);
        Thread.sleep(400);
        assertThat(valueOf(owner)).isEqualTo(owner.token());
        assertThat(lock.release(owner).await().indefinitely()).isTrue();
        assertThat(lock.extend(owner).await().indefinitely()).isFalse();
    }

    @Test
    void aNonOwnerCannotRelease() {
        LockHandle owner = lock.acquire(name(), Duration.ofSeconds(5), Duration.ZERO).await().indefinitely();
        LockHandle impostor = new LockHandle(owner.name(), owner.key(), "not-the-token", System.nanoTime());
        assertThat(lock.release(impostor).await().indefinitely()).isFalse();
        assertThat(valueOf(owner)).isEqualTo(owner.token());
        assertThat(lock.release(owner).await().indefinitely()).isTrue();
    }

    @Test
    void manyClientsUnderTheLockNeverOverlap() {
        String name = name();
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger maxInside = new AtomicInteger();
        int[] counter = {0};
        double acquiredBefore = metrics.counter("membercard.lock.acquired").count();
        List<Integer> results = Concurrently.run(24, i -> lock.withLock(name, () -> Uni.createFrom().item(() -> {
            maxInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
            int read = counter[0];
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            counter[0] = read + 1;
            inside.decrementAndGet();
            return read;
        })).await().atMost(Duration.ofSeconds(30)));
        assertThat(counter[0]).isEqualTo(24);
        assertThat(results).doesNotHaveDuplicates();
        assertThat(maxInside.get()).isEqualTo(1);
        assertThat(metrics.counter("membercard.lock.acquired").count()).isEqualTo(acquiredBefore + 24);
    }

    @Test
    void withLockReleasesWhenTheWorkFails() {
        String name = name();
        assertThatThrownBy(() -> lock.withLock(name, () -> Uni.createFrom().failure(new IllegalStateException("x")))
                .await().indefinitely()).isInstanceOf(IllegalStateException.class);
        LockHandle again = lock.acquire(name, Duration.ofSeconds(5), Duration.ZERO).await().indefinitely();
        lock.release(again).await().indefinitely();
    }

    @Test
    void acquireAllTakesEveryLockOrNone() {
        String a = name();
        String b = name();
        String c = name();
        LockHandle held = lock.acquire(b, Duration.ofSeconds(5), Duration.ZERO).await().indefinitely();
        assertThatThrownBy(() -> lock.acquireAll(List.of(a, b, c)).await().indefinitely())
                .isInstanceOf(LockTimeoutException.class).hasMessageContaining(b);
        // Nothing of the refused attempt stays behind: a and c are free, b is still the first holder's.
        assertThat(redis.key().exists(held.key().replace(b, a))).isFalse();
        assertThat(redis.key().exists(held.key().replace(b, c))).isFalse();
        assertThat(valueOf(held)).isEqualTo(held.token());
        lock.release(held).await().indefinitely();

        List<LockHandle> all = lock.acquireAll(List.of(a, b, c)).await().indefinitely();
        assertThat(all).extracting(LockHandle::name).containsExactly(a, b, c);
        assertThat(all).allSatisfy(h -> assertThat(valueOf(h)).isEqualTo(h.token()));
        assertThatThrownBy(() -> lock.acquire(c, Duration.ofSeconds(5), Duration.ZERO).await().indefinitely())
                .isInstanceOf(LockTimeoutException.class);
        assertThat(lock.releaseAll(all).await().indefinitely()).isEqualTo(3);
        assertThat(all).allSatisfy(h -> assertThat(valueOf(h)).isNull());
    }

    @Test
    void batchesAndSingleHoldersOfOverlappingLocksNeverOverlap() {
        List<String> names = List.of(name(), name(), name(), name());
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger batches = new AtomicInteger();
        AtomicInteger overlaps = new AtomicInteger();
        List<Boolean> done = Concurrently.run(12, client -> {
            boolean batch = client % 3 == 0;
            List<String> mine = batch ? names : List.of(names.get(client % names.size()));
            Uni<Boolean> work = Uni.createFrom().item(() -> {
                int holders = inside.incrementAndGet();
                if ((batch ? batches.incrementAndGet() : batches.get()) > 0 && holders > 1) {
                    overlaps.incrementAndGet();
                }
                return true;
            }).onItem().delayIt().by(Duration.ofMillis(5)).invoke(() -> {
                if (batch) {
                    batches.decrementAndGet();
                }
                inside.decrementAndGet();
            });
            return lock.acquireAll(mine).flatMap(handles -> work
                    .call(() -> lock.releaseAll(handles))).await().atMost(Duration.ofSeconds(10));
        });
        assertThat(done).containsOnly(true);
        assertThat(overlaps).hasValue(0);
    }
}
