package io.membercard.common.lock;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;

import io.smallrye.mutiny.Uni;

/**
 * Runs work for the same key one at a time within this process, first come first served, without blocking a
 * thread. In front of {@link RedisLock} it hands a busy key straight to the next waiter of this instance, so only
 * instances (not every waiting request) contend for the Redis lock.
 */
public final class KeyedQueue {
    private final ConcurrentHashMap<String, CompletableFuture<Void>> tails = new ConcurrentHashMap<>();
    private final boolean queue;

    /** A queue that makes same-key work wait in line. */
    public KeyedQueue() {
        this(true);
    }

    /** {@code queue} false: work runs at once, each alone in its turn (as if every caller were another instance). */
    public KeyedQueue(boolean queue) {
        this.queue = queue;
    }

    /** A caller's turn: it can tell whether others are waiting behind it for the same key. */
    public final class Turn {
        private final String key;
        private final CompletableFuture<Void> mine;

        private Turn(String key, CompletableFuture<Void> mine) {
            this.key = key;
            this.mine = mine;
        }

        /** Whether another caller queued for the key after this one. */
        public boolean othersWaiting() {
            return mine != null && tails.get(key) != mine;
        }
    }

    public <T> Uni<T> run(String key, Supplier<Uni<? extends T>> work) {
        return run(key, turn -> work.get());
    }

    /** Like {@link #run(String, Supplier)}, giving the work its {@link Turn}. */
    public <T> Uni<T> run(String key, Function<Turn, Uni<? extends T>> work) {
        if (!queue) {
            return Uni.createFrom().deferred(() -> work.apply(new Turn(key, null)));
        }
        return Uni.createFrom().deferred(() -> {
            CompletableFuture<Void> mine = new CompletableFuture<>();
            CompletableFuture<Void> previous = tails.put(key, mine);
            Uni<Void> wait = previous == null
                    ? Uni.createFrom().voidItem()
                    : Uni.createFrom().completionStage(previous);
            Turn turn = new Turn(key, mine);
            return wait.onItem().<T>transformToUni(ignored -> Uni.createFrom().<T>deferred(() -> work.apply(turn)))
                    .onTermination().invoke(() -> {
                        tails.remove(key, mine);
                        mine.complete(null);
                    });
        });
    }

    /** Keys with work running or waiting. */
    public int size() {
        return tails.size();
    }
}
