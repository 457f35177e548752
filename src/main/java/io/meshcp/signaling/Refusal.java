package io.meshcp.signaling;

/**
 * Why the tracker will not (or no longer) match a peer. Each goes out as an announce's {@code failure reason}
 * with the announce's {@code info_hash} (the npm bittorrent-tracker client drops a reply without one, and older
 * versions crash on it), worded for people and ending in its code in brackets, which the player SDK reads:
 * {@code "p2p is off for this stream (KILL_SWITCH)"}. Refusals about the token add the token's fingerprint,
 * {@code "(TOKEN_EXPIRED token=Ab3dEf9_)"}, so a player can tell a refusal of the token it holds from a late one
 * about a token it has replaced. docs/signaling.md lists them for integrators.
 */
enum Refusal {

    TOKEN_INVALID("invalid signaling token; ask client-config for a new one", true),
    TOKEN_EXPIRED("signaling token expired; ask client-config for a new one", true),
    TOKEN_SUPERSEDED("signaling token issued before a kill switch; ask client-config for a new one", true),
    KEY_REVOKED("the publishable key is revoked or expired", true),
    HOLDOUT_COHORT("this session is in the holdout cohort and uses no p2p", true),
    TENANT_CONNECTIONS("too many connections for this organisation", true),
    SESSION_CONNECTIONS("too many connections for this playback session", true),
    ADDRESS_CONNECTIONS("too many connections from this address", true),
    STREAM_GONE("the stream no longer exists", false),
    STREAM_SENSITIVE("p2p is off for this stream", false),
    KILL_SWITCH("p2p is off for this stream", false),
    P2P_DISABLED("p2p is off for this stream", false);

    private final String text;

    private final boolean endsSocket;

    Refusal(String text, boolean endsSocket) {
        this.text = text;
        this.endsSocket = endsSocket;
    }

    /**
     * Whether the socket itself is refused (its token or key, so nothing it could send would be accepted) rather
     * than matching on the stream, which may resume on the same socket once the policy allows it again.
     */
    boolean endsSocket() {
        return endsSocket;
    }

    String reason() {
        return text + " (" + name() + ")";
    }

    String reason(String tokenFingerprint) {
        return text + " (" + name() + " token=" + tokenFingerprint + ")";
    }

    /** The socket's close reason (at most 123 bytes in a close frame). */
    String closeReason() {
        return name();
    }
}
