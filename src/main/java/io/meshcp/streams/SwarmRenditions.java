package io.meshcp.streams;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.meshcp.database.DatabaseScope;
import io.meshcp.database.TenantId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.TransactionException;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionOperations;

/**
 * Which rendition each of a stream's swarms carries. The tracker only sees opaque info hashes (players derive
 * them from the swarm id and each rendition's attributes); players report the pair in their telemetry, and the
 * live swarm view shows the rendition's name. Best effort: a name that could not be written is learnt again from
 * the next heartbeat.
 */
@Service
public class SwarmRenditions {

    private static final Logger log = LoggerFactory.getLogger(SwarmRenditions.class);

    /** Names not reported for this long are forgotten (the telemetry they came from is kept as long). */
    static final Duration KEPT_FOR = Duration.ofDays(35);

    /** Each node writes a pair at most this often: heartbeats repeat it every few seconds. */
    private static final Duration WRITTEN_EVERY = Duration.ofHours(1);

    private final JdbcTemplate jdbc;

    private final TransactionOperations transactions;

    private final Clock clock;

    private final Cache<Name, Boolean> written = Caffeine.newBuilder().expireAfterWrite(WRITTEN_EVERY)
            .maximumSize(100_000).build();

    SwarmRenditions(JdbcTemplate jdbc, TransactionOperations transactions, Clock clock) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.clock = clock;
    }

    /**
     * Records that the swarm {@code infoHash} (40 hex digits) of the stream carries {@code rendition}. Called for
     * every heartbeat, so the organisation's scope is taken only when there is something to write.
     */
    public void learn(UUID tenantId, UUID streamId, String infoHash, String rendition) {
        Name name = new Name(tenantId, streamId, infoHash, rendition);
        if (written.getIfPresent(name) != null) {
            return;
        }
        Instant now = clock.instant();
        try {
            DatabaseScope.tenant(tenantId, () -> transactions.executeWithoutResult(status -> {
                jdbc.update("""
                        insert into stream_swarm_renditions (tenant_id, stream_id, info_hash, rendition, seen_at)
                        values (?, ?, ?, ?, ?)
                        on conflict (tenant_id, stream_id, info_hash)
                        do update set rendition = excluded.rendition, seen_at = excluded.seen_at""",
                        tenantId, streamId, infoHash, rendition, Timestamp.from(now));
                jdbc.update("delete from stream_swarm_renditions where tenant_id = ? and stream_id = ? and seen_at < ?",
                        tenantId, streamId, Timestamp.from(now.minus(KEPT_FOR)));
            }));
            written.put(name, Boolean.TRUE);
        }
        catch (DataAccessException | TransactionException e) {
            log.debug("Could not record a swarm's rendition; the next heartbeat tries again: {}", e.toString());
        }
    }

    /** The stream's known swarms: info hash (hex) to rendition id. */
    @Transactional(readOnly = true)
    public Map<String, String> of(@TenantId UUID tenantId, UUID streamId) {
        Map<String, String> names = new HashMap<>();
        jdbc.query("select info_hash, rendition from stream_swarm_renditions where tenant_id = ? and stream_id = ?",
                rs -> {
                    names.put(rs.getString(1), rs.getString(2));
                }, tenantId, streamId);
        return names;
    }

    private record Name(UUID tenantId, UUID streamId, String infoHash, String rendition) {
    }
}
