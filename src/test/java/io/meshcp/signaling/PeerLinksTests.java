package io.meshcp.signaling;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

/** A viewer's slots: offers waiting for answers hold them until they expire, whatever order they expire in. */
class PeerLinksTests {

    static final long LATER = Duration.ofMinutes(1).toNanos();

    /** The links' clock: moved by the tests, never by the machine. */
    long now = 1_000_000_000L;

    @Test
    void anExpiredOfferGivesItsSlotBackEvenWhenALaterOneWasMadeFirst() {
        PeerLinks links = new PeerLinks(() -> now);
        links.limit(3);

        assertThat(links.reserveOffer("self", "o1", "hash", "alice", now + LATER)).isTrue();
        // Made second, expires first: the look-ahead must move earlier for it.
        assertThat(links.expectAnswer("self", "o2", "bob", null, "hash", now + Duration.ofMillis(1).toNanos()))
                .isTrue();
        assertThat(links.reserveOffer("self", "o3", "hash", "carol", now + LATER)).isTrue();
        assertThat(links.free()).isZero();

        now += Duration.ofMillis(2).toNanos();
        assertThat(links.free()).as("bob's offer expired").isOne();
        assertThat(links.takeOffer("self", "o2")).isNull();
        assertThat(links.reserveOffer("self", "o4", "hash", "dave", now + LATER)).isTrue();
        assertThat(links.free()).isZero();
    }

    @Test
    void anOfferAnsweredBeforeTheEarliestExpiryLeavesTheOthersCountedUntilTheirs() {
        PeerLinks links = new PeerLinks(() -> now);
        links.limit(2);
        long soon = now + Duration.ofMillis(1).toNanos();

        assertThat(links.reserveOffer("self", "o1", "hash", "alice", soon)).isTrue();
        assertThat(links.reserveOffer("self", "o2", "hash", "bob", now + LATER)).isTrue();
        assertThat(links.answered("self", "o1", "alice", null)).isTrue();
        assertThat(links.free()).as("alice paired, bob waiting").isZero();

        now = soon + 1;
        assertThat(links.free()).as("bob's offer has a minute left").isZero();
        links.unpair("hash", "alice");
        assertThat(links.free()).isOne();
    }
}
