package io.meshcp.signaling;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.UUID;

import io.meshcp.player.NatType;
import io.meshcp.player.WireCode;

/** How {@link RedisSwarms} lays swarms out in Redis: its keys, its channels and the record of each member. */
final class SwarmRecords {

    private static final String KEYS = "meshcp:signaling:";

    private SwarmRecords() {
    }

    /** A member's record in Redis: {@code node|nat|seeder|peer id in hex}. */
    static String of(String node, Swarms.Member member) {
        return node + "|" + member.nat().code() + "|" + (member.seeder() ? "1" : "0") + "|" + hex(member.peerId());
    }

    /** The member a record describes, or null when it is not one. */
    static Swarms.Member parse(String record) {
        String[] parts = record.split("\\|", 4);
        if (parts.length != 4) {
            return null;
        }
        try {
            return new Swarms.Member(new String(HexFormat.of().parseHex(parts[3]), StandardCharsets.ISO_8859_1),
                    WireCode.parse(NatType.class, parts[1]).orElse(NatType.UNKNOWN), "1".equals(parts[2]), null,
                    parts[0]);
        }
        catch (IllegalArgumentException e) {
            return null;
        }
    }

    static String membersKey(SwarmKey swarm) {
        return membersKeyPrefix(swarm.tenantId(), swarm.streamId()) + hex(swarm.infoHash());
    }

    static String membersKeyPrefix(UUID tenantId, UUID streamId) {
        return KEYS + "swarm:" + tenantId + ":" + streamId + ":";
    }

    static String streamKey(UUID tenantId, UUID streamId) {
        return KEYS + "stream:" + tenantId + ":" + streamId;
    }

    static String channel(String node) {
        return KEYS + "node:" + node;
    }

    /** Info hashes and peer ids are 20 bytes carried as characters 0-255; hex keeps them readable in Redis. */
    static String hex(String binary) {
        return HexFormat.of().formatHex(binary.getBytes(StandardCharsets.ISO_8859_1));
    }
}
