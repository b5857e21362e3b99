package io.membercard.common.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.stream.Collectors;

/** Runs many clients at the same moment and collects what each got. */
public final class Concurrently {
    private Concurrently() {
    }

    public static <T> List<T> run(int clients, IntFunction<T> client) {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                int index = i;
                futures.add(pool.submit(() -> {
                    start.await();
                    return client.apply(index);
                }));
            }
            start.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                results.add(future.get(60, TimeUnit.SECONDS));
            }
            return results;
        } catch (Exception e) {
            throw new IllegalStateException("a concurrent client failed", e);
        } finally {
            pool.shutdownNow();
        }
    }

    /** {@link #run}, with how many clients got each answer. */
    public static <T> Map<T, Long> counted(int clients, IntFunction<T> client) {
        return run(clients, client).stream().collect(Collectors.groupingBy(answer -> answer, Collectors.counting()));
    }
}
