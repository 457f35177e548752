package io.meshcp.signaling;

/**
 * Why the tracker will not (or no longer) match a peer. Each goes out as an announce's {@code failure reason}
 * with the announce's {@code info_hash} (the npm bittorrent-tracker client drops a reply without one, and older
 * versions crash on it), worded for people and ending in its code in brackets, which the player SDK reads:
 * {@code "p2p is off for this stream (KILL_SWITCH)"}. Refusals about the token add the token's fingerprint,
 * {@code "(TOKEN_EXPIRED token=Ab3dEf9_)"}, so a player can tell a refusal of the token it holds from a late one
 * about a token it has replaced. Every refusal ends the socket after it is told: a socket that may not be matched
 * holds a place for nothing, and a client that reconnects is checked afresh (a token from before a kill switch,
 * say, is refused at once). docs/signaling.md lists them for integrators.
 */
enum Refusal {

    TOKEN_INVALID("invalid signaling token; ask client-config for a new one"),
    TOKEN_EXPIRED("signaling token expired; ask client-config for a new one"),
    TOKEN_SUPERSEDED("signaling token issued before a kill switch; ask client-config for a new one"),
    KEY_REVOKED("the publishable key is revoked or expired"),
    HOLDOUT_COHORT("this session is in the holdout cohort and uses no p2p"),
    TENANT_CONNECTIONS("too many connections for this organisation"),
    SESSION_CONNECTIONS("too many connections for this playback session"),
    ADDRESS_CONNECTIONS("too many connections from this address"),
    STREAM_GONE("the stream no longer exists"),
    STREAM_SENSITIVE("p2p is off for this stream"),
    KILL_SWITCH("p2p is off for this stream"),
    AUTO_GUARD("p2p is off for this stream: its p2p viewers rebuffered more than viewers without it"),
    P2P_DISABLED("p2p is off for this stream");

    private final String text;

    Refusal(String text) {
        this.text = text;
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
