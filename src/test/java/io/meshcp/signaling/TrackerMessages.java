package io.meshcp.signaling;

/** WebTorrent tracker messages as clients write them, for tests that speak the protocol by hand. */
final class TrackerMessages {

    private TrackerMessages() {
    }

    /** A 20-character peer id. */
    static String peer(String name) {
        return String.format("%-20.20s", "-MC0001-" + name).replace(' ', '0');
    }

    /** An announce with {@code offers} small offers, their ids made from the peer id. */
    static String announce(String infoHash, String peerId, int offers) {
        return announceWithSdp(infoHash, peerId, peerId.strip(), offers, null);
    }

    /** An announce with {@code offers} offers named {@code <offerPrefix>-o<i>}, each carrying {@code sdp} if given. */
    static String announceWithSdp(String infoHash, String peerId, String offerPrefix, int offers, String sdp) {
        StringBuilder list = new StringBuilder();
        for (int i = 0; i < offers; i++) {
            list.append(i == 0 ? "" : ",").append("{\"offer_id\": \"").append(offerPrefix).append("-o").append(i)
                    .append("\", \"offer\": {\"type\": \"offer\", \"sdp\": \"")
                    .append(sdp == null ? "v=0 offer " + i : sdp).append("\"}}");
        }
        return "{\"action\": \"announce\", \"info_hash\": \"" + infoHash + "\", \"peer_id\": \"" + peerId
                + "\", \"numwant\": " + offers + ", \"offers\": [" + list + "]}";
    }

    /** A plain announce that carries a fresh signaling token, as the player SDK sends each one. */
    static String announceRenewing(String infoHash, String peerId, String token) {
        return "{\"action\": \"announce\", \"info_hash\": \"" + infoHash + "\", \"peer_id\": \"" + peerId
                + "\", \"numwant\": 0, \"token\": \"" + token + "\"}";
    }

    static String answer(String infoHash, String peerId, String toPeerId, String offerId) {
        return "{\"action\": \"announce\", \"info_hash\": \"" + infoHash + "\", \"peer_id\": \"" + peerId
                + "\", \"to_peer_id\": \"" + toPeerId + "\", \"offer_id\": \"" + offerId
                + "\", \"answer\": {\"type\": \"answer\", \"sdp\": \"v=0 answer\"}}";
    }

    static String stopped(String infoHash, String peerId) {
        return "{\"action\": \"announce\", \"event\": \"stopped\", \"info_hash\": \"" + infoHash + "\", \"peer_id\": \""
                + peerId + "\"}";
    }
}
