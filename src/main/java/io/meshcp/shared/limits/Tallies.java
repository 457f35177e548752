package io.meshcp.shared.limits;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Counts by name, each with the time of its last count, forgotten a while after it. With Redis configured they are
 * shared by every node ({@code io.meshcp.cluster}), so what one node counted holds on all of them (login failures,
 * say, however many replicas the attempts are spread over); without it they are this node's own.
 */
public interface Tallies {

    /** Counts one more under the name, at {@code now}; the name is forgotten {@code keep} after its last count. */
    void add(String name, Instant now, Duration keep);

    /** The count and the time of the last, or empty when the name was forgotten or never counted. */
    Optional<Tally> get(String name);

    void forget(String name);

    /** This node's own tallies, in memory. */
    static Tallies inMemory() {
        return new InMemoryTallies();
    }

    /**
     * What was counted under a name.
     *
     * @param count how many times
     * @param last when the last one was counted
     */
    record Tally(int count, Instant last) {
    }
}
