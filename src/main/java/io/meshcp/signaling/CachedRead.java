package io.meshcp.signaling;

import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/** A value read from Redis: kept with the time it was read, and read again by one caller at a time. */
final class CachedRead<T> {

    private volatile T value;

    private volatile long readAt;

    private volatile long usedAt = System.nanoTime();

    private CompletableFuture<T> reading;

    T value() {
        return value;
    }

    boolean fresh(long maxAgeNanos) {
        return value != null && System.nanoTime() - readAt < maxAgeNanos;
    }

    void used() {
        usedAt = System.nanoTime();
    }

    boolean unusedFor(long nanos) {
        return System.nanoTime() - usedAt > nanos;
    }

    CompletableFuture<T> refresh(Supplier<CompletableFuture<T>> read) {
        CompletableFuture<T> started;
        synchronized (this) {
            if (reading != null) {
                return reading;
            }
            started = new CompletableFuture<>();
            reading = started;
        }
        read.get().whenComplete((result, error) -> {
            if (error == null) {
                value = result;
                readAt = System.nanoTime();
            }
            synchronized (this) {
                reading = null;
            }
            if (error == null) {
                started.complete(result);
            }
            else {
                started.completeExceptionally(error);
            }
        });
        return started;
    }
}
