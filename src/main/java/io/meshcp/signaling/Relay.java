package io.meshcp.signaling;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.UUID;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * A relayed offer or answer, as the header of a message on a node's channel. Unknown fields are ignored by
 * default, so an older node still reads what a newer one sends during a rolling update.
 */
record Relay(Kind kind, UUID tenantId, UUID streamId, String infoHash, String to, String from, String fromNode,
        String offerId, long ttlMillis) {

    enum Kind {
        OFFER, ANSWER
    }

    /**
     * The message on a node's channel: this header, a newline and the peer's message exactly as the peer gets it,
     * so the receiver writes those bytes as they are, without parsing the SDP again. JSON strings never hold a raw
     * newline.
     */
    String encode(JsonMapper json, byte[] message) {
        return json.writeValueAsString(this) + "\n" + new String(message, StandardCharsets.UTF_8);
    }

    /** The header and the peer's message of a channel message; null when it cannot be read. */
    static Received decode(JsonMapper json, byte[] payload) {
        int newline = -1;
        for (int i = 0; i < payload.length && newline < 0; i++) {
            newline = payload[i] == '\n' ? i : -1;
        }
        Relay relay;
        try {
            relay = newline < 0 ? null : json.readValue(payload, 0, newline, Relay.class);
        }
        catch (JacksonException e) {
            relay = null;
        }
        if (relay == null || relay.kind() == null) {
            return null;
        }
        return new Received(relay, Arrays.copyOfRange(payload, newline + 1, payload.length));
    }

    record Received(Relay relay, byte[] message) {
    }
}
