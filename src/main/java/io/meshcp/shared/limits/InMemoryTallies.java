package io.meshcp.shared.limits;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;

/** {@link Tallies#inMemory()}: each name kept as long as its last count asked, at most a million names. */
final class InMemoryTallies implements Tallies {

    private final Cache<String, Kept> tallies = Caffeine.newBuilder().expireAfter(new Expiry<String, Kept>() {
        @Override
        public long expireAfterCreate(String name, Kept kept, long currentTime) {
            return kept.keep().toNanos();
        }

        @Override
        public long expireAfterUpdate(String name, Kept kept, long currentTime, long currentDuration) {
            return kept.keep().toNanos();
        }

        @Override
        public long expireAfterRead(String name, Kept kept, long currentTime, long currentDuration) {
            return currentDuration;
        }
    }).maximumSize(1_000_000).build();

    @Override
    public void add(String name, Instant now, Duration keep) {
        tallies.asMap().merge(name, new Kept(new Tally(1, now), keep),
                (old, first) -> new Kept(new Tally(old.tally().count() + 1, now), keep));
    }

    @Override
    public Optional<Tally> get(String name) {
        return Optional.ofNullable(tallies.getIfPresent(name)).map(Kept::tally);
    }

    @Override
    public void forget(String name) {
        tallies.invalidate(name);
    }

    private record Kept(Tally tally, Duration keep) {
    }
}
