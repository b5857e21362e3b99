package io.membercard.common.lock;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import io.smallrye.mutiny.Uni;

/**
 * Runs work for the same key one at a time within this process, first come first served, without blocking a
 * thread. In front of {@link RedisLock} it hands a busy key straight to the next waiter of this instance, so only
 * instances (not every waiting request) contend for the Redis lock.
 */
public final class KeyedQueue {
    private final ConcurrentHashMap<String, CompletableFuture<Void>> tails = new ConcurrentHashMap<>();

    public <T> Uni<T> run(String key, Supplier<Uni<? extends T>> work) {
        return Uni.createFrom().deferred(() -> {
            CompletableFuture<Void> mine = new CompletableFuture<>();
            CompletableFuture<Void> previous = tails.put(key, mine);
            Uni<Void> turn = previous == null
                    ? Uni.createFrom().voidItem()
                    : Uni.createFrom().completionStage(previous);
            return turn.onItem().<T>transformToUni(ignored -> Uni.createFrom().<T>deferred(work))
                    .onTermination().invoke(() -> {
                        tails.remove(key, mine);
                        mine.complete(null);
                    });
        });
    }

    /** Keys with work running or waiting (for tests and metrics). */
    public int size() {
        return tails.size();
    }
}
