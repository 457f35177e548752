package io.meshcp.signaling;

import java.util.Map;

/** One live swarm (a rendition of a stream) as the dashboard shows it: size, seeders and NAT mix. */
public record SwarmView(String infoHash, int peers, int seeders, Map<String, Integer> natTypes) {
}
