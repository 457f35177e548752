package io.meshcp.signaling;

import java.time.Duration;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Signaling settings.
 *
 * @param publicUrl the WebSocket URL players connect to (e.g. wss://signal.example.com/v1/signal); empty:
 * derived from the client-config request's own host
 * @param tokenTtl how long a signaling token is valid after the minute it is issued in (after the quarter of its
 * lifetime it is issued in, when that is shorter than a minute); a socket lives on it until
 * then, and on each fresh token of the same viewer its announces bring (the player SDK sends them): so it must be
 * longer than the announce interval plus client-config's refresh interval, or renewals come too late
 * @param tokenKeys HMAC keys for signaling tokens, newest first: the first signs, all verify, so a key
 * is rotated by putting a new one in front and removing the old one after {@code tokenTtl}. Empty: one
 * random key per process, which only works with a single node
 * @param port the tracker's own port (WebSocket path /v1/signal); 0 picks a free one
 * @param maxMessageBytes the largest message a peer may send; larger closes the socket with 1009
 * @param messagesPerSecond the sustained message rate a peer may send (twice that in a burst)
 * @param maxSwarmsPerConnection how many swarms (renditions) one socket may be in at once
 * @param maxOffersPerAnnounce offers beyond this in one announce are ignored
 * @param offerTtl how long an offer waits for its answer before it is forgotten
 * @param announceInterval the {@code interval} told to peers, in seconds between announces
 * @param smallSwarmAnnounceInterval the {@code interval} told to peers of a swarm below its stream's
 * {@code minSwarmSize}, where nobody is matched yet: they come back sooner, so the swarm forms soon after it is
 * big enough
 * @param idleTimeout a socket that sends no tracker message (announce or scrape) for this long is closed, however
 * well it answers pings: a socket that never announces holds a place a viewer could use. Longer than
 * {@code announceInterval}, so that a client announcing on time is never cut
 * @param pingInterval after this long without a byte from a peer it is pinged; after three such periods it is gone
 * and its socket is closed: keeps proxies from cutting quiet sockets and finds dead ones
 * @param maxConnectionsPerTenant sockets one tenant may hold open on this node
 * @param maxConnectionsPerSession sockets one playback session (every token client-config issued it) may hold open
 * on this node: one viewer needs one, and a few more while a reconnect overlaps a socket not yet seen to be gone
 * @param maxConnectionsPerAddress sockets one client address (IPv4, or IPv6 /64) may hold open on this node, refused
 * ones waiting to be told included; generous, because many viewers share one address behind carrier-grade NAT
 * @param membershipTtl with Redis: how long a peer's membership record outlives the last refresh by its node,
 * which rewrites its records every third of this; so how long a peer of a node that died stays visible
 * @param remoteViewMaxAge with Redis: the oldest copy of other nodes' members of a swarm used to pick peers
 * and count them; an older one is read again before picking
 */
@Validated
@ConfigurationProperties("meshcp.signaling")
record SignalingProperties(String publicUrl, @DefaultValue("10m") Duration tokenTtl,
        List<@Valid TokenKey> tokenKeys, @DefaultValue("8081") int port,
        @DefaultValue("65536") int maxMessageBytes, @DefaultValue("20") int messagesPerSecond,
        @DefaultValue("10") int maxSwarmsPerConnection, @DefaultValue("10") int maxOffersPerAnnounce,
        @DefaultValue("30s") Duration offerTtl, @DefaultValue("120") int announceInterval,
        @DefaultValue("15") int smallSwarmAnnounceInterval,
        @DefaultValue("300s") Duration idleTimeout, @DefaultValue("40s") Duration pingInterval,
        @DefaultValue("100000") @Positive int maxConnectionsPerTenant,
        @DefaultValue("4") @Positive int maxConnectionsPerSession,
        @DefaultValue("500") @Positive int maxConnectionsPerAddress,
        @DefaultValue("30s") Duration membershipTtl, @DefaultValue("1s") Duration remoteViewMaxAge) {

    SignalingProperties {
        tokenKeys = tokenKeys == null ? List.of() : List.copyOf(tokenKeys);
        if (tokenTtl.toSeconds() <= Math.max(announceInterval, smallSwarmAnnounceInterval)) {
            throw new IllegalArgumentException("meshcp.signaling.token-ttl (" + tokenTtl + ") must be longer than "
                    + "announce-interval (" + announceInterval + " s) and small-swarm-announce-interval ("
                    + smallSwarmAnnounceInterval + " s): the player SDK's announces bring its sockets fresh tokens, "
                    + "and must come before the last one expires");
        }
        if (idleTimeout.toMillis() <= announceInterval * 1000L) {
            throw new IllegalArgumentException("meshcp.signaling.idle-timeout (" + idleTimeout + ") must be longer "
                    + "than announce-interval (" + announceInterval + " s), or peers announcing on time are cut off");
        }
    }

    /**
     * One signing key.
     *
     * @param id a short name carried in each token, so verifiers know which key signed it
     * @param secret at least 32 characters of secret
     */
    record TokenKey(@NotBlank @Pattern(regexp = "[A-Za-z0-9_-]{1,16}") String id,
            @NotBlank @Size(min = 32) String secret) {
    }
}
