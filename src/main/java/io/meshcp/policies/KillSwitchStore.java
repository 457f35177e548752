package io.meshcp.policies;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/** Engaged kill switches are rows; releasing deletes the row (the audit log keeps the history). */
@Repository
class KillSwitchStore {

    private final JdbcTemplate jdbc;

    KillSwitchStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** True when it was not engaged before. */
    boolean engage(UUID tenantId, UUID streamId, String reason, String actor, Instant now) {
        return jdbc.update("""
                insert into kill_switches (tenant_id, stream_id, reason, engaged_by, engaged_at) values (?, ?, ?, ?, ?)
                on conflict do nothing""", tenantId, streamId, reason, actor, Timestamp.from(now)) == 1;
    }

    /** True when it was engaged. */
    boolean release(UUID tenantId, UUID streamId) {
        return jdbc.update("delete from kill_switches where tenant_id = ? and stream_id is not distinct from ?",
                tenantId, streamId) == 1;
    }

    boolean engaged(UUID tenantId, UUID streamId) {
        return Boolean.TRUE.equals(jdbc.queryForObject(
                "select exists(select 1 from kill_switches where tenant_id = ? and stream_id is not distinct from ?)",
                Boolean.class, tenantId, streamId));
    }

    List<KillSwitchView> all(UUID tenantId) {
        return jdbc.query("""
                select stream_id, reason, engaged_by, engaged_at from kill_switches where tenant_id = ?
                order by stream_id nulls first""", (rs, i) -> new KillSwitchView(rs.getObject(1, UUID.class),
                rs.getString(2), rs.getString(3), rs.getTimestamp(4).toInstant()), tenantId);
    }
}
