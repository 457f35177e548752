package io.meshcp.signaling;

import java.io.ByteArrayOutputStream;
import java.util.function.Consumer;

import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.json.JsonMapper;

/**
 * The tracker's outgoing messages, written straight to UTF-8 bytes: a relayed announce is written once
 * per offer, so no intermediate tree or string is built. Binary ids (20 characters of 0-255) come out
 * as the WebTorrent clients expect them, each character UTF-8 encoded.
 */
final class Messages {

    private final JsonMapper json;

    Messages(JsonMapper json) {
        this.json = json;
    }

    byte[] announceReply(String infoHash, int interval, int[] counts) {
        return write(g -> {
            g.writeStringProperty("action", "announce");
            g.writeNumberProperty("interval", interval);
            g.writeStringProperty("info_hash", infoHash);
            g.writeNumberProperty("complete", counts[0]);
            g.writeNumberProperty("incomplete", counts[1]);
        });
    }

    /** An offer from {@code fromPeerId}, relayed to one peer of its swarm. */
    byte[] offer(String infoHash, String fromPeerId, String offerId, String sdp) {
        return relayed(infoHash, fromPeerId, offerId, "offer", sdp);
    }

    /** The answer to an offer, relayed back to the peer that made it. */
    byte[] answer(String infoHash, String fromPeerId, String offerId, String sdp) {
        return relayed(infoHash, fromPeerId, offerId, "answer", sdp);
    }

    byte[] failure(String infoHash, String reason) {
        return failure("announce", infoHash, reason);
    }

    /** A refusal of an announce or a scrape; the info hash may be unknown (null) for a message that named none. */
    byte[] failure(String action, String infoHash, String reason) {
        return write(g -> {
            g.writeStringProperty("action", action);
            if (infoHash != null) {
                g.writeStringProperty("info_hash", infoHash);
            }
            g.writeStringProperty("failure reason", reason);
        });
    }

    byte[] warning(String infoHash, String text) {
        return write(g -> {
            g.writeStringProperty("action", "announce");
            g.writeStringProperty("info_hash", infoHash);
            g.writeStringProperty("warning message", text);
        });
    }

    private byte[] relayed(String infoHash, String fromPeerId, String offerId, String type, String sdp) {
        return write(g -> {
            g.writeStringProperty("action", "announce");
            g.writeName(type);
            g.writeStartObject();
            g.writeStringProperty("type", type);
            g.writeStringProperty("sdp", sdp);
            g.writeEndObject();
            g.writeStringProperty("offer_id", offerId);
            g.writeStringProperty("peer_id", fromPeerId);
            g.writeStringProperty("info_hash", infoHash);
        });
    }

    private byte[] write(Consumer<JsonGenerator> properties) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator generator = json.createGenerator(out)) {
            generator.writeStartObject();
            properties.accept(generator);
            generator.writeEndObject();
        }
        return out.toByteArray();
    }
}
