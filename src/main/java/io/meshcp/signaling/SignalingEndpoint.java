package io.meshcp.signaling;

import org.springframework.stereotype.Service;

/** Where players reach the tracker: the configured public URL, or this node's tracker port. */
@Service
public class SignalingEndpoint {

    private final SignalingTokens tokens;

    private final SignalingServer server;

    SignalingEndpoint(SignalingTokens tokens, SignalingServer server) {
        this.tokens = tokens;
        this.server = server;
    }

    /** Whether the URL is configured ({@code meshcp.signaling.public-url}) rather than derived from a request. */
    public boolean configured() {
        return tokens.publicUrl().isPresent();
    }

    /** The tracker URL for a player that reached the control plane at {@code scheme://host}. */
    public String url(String scheme, String host) {
        return tokens.publicUrl()
                .orElseGet(() -> ("https".equals(scheme) ? "wss" : "ws") + "://" + host + ":" + server.port()
                        + SignalingServer.PATH);
    }
}
