package io.meshcp.telemetry;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import io.meshcp.database.TenantId;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** When a stream's first heartbeat arrived: the sign that a player of it is wired up and reporting. */
@Service
public class FirstHeartbeats {

    private final JdbcTemplate jdbc;

    FirstHeartbeats(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Transactional(readOnly = true)
    public Optional<Instant> of(@TenantId UUID tenantId, UUID streamId) {
        return jdbc.query("select first_at from telemetry_stream_first_heartbeats where tenant_id = ? and stream_id = ?",
                (row, n) -> row.getTimestamp(1).toInstant(), tenantId, streamId).stream().findFirst();
    }
}
