package io.meshcp.policies;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import io.meshcp.database.SystemScope;
import io.meshcp.database.TenantId;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/**
 * Engaged kill switches are rows; releasing deletes the row (the audit log keeps the history). When each was last
 * engaged is kept apart, released or not: it voids what was granted before it.
 */
@Repository
class KillSwitchStore {

    private final JdbcTemplate jdbc;

    // Called inside the Policies' transactions; on its own (the resolver's loads), each call is one.
    KillSwitchStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** True when it was not engaged before. */
    @Transactional
    boolean engage(@TenantId UUID tenantId, UUID streamId, String reason, Instant releaseAt, String actor,
            Instant now, boolean autoGuard) {
        boolean engaged = jdbc.update("""
                insert into kill_switches (tenant_id, stream_id, reason, engaged_by, engaged_at, release_at, auto_guard)
                values (?, ?, ?, ?, ?, ?, ?)
                on conflict do nothing""", tenantId, streamId, reason, actor, Timestamp.from(now),
                releaseAt == null ? null : Timestamp.from(releaseAt), autoGuard) == 1;
        if (engaged) {
            jdbc.update("""
                    insert into kill_switch_engagements (tenant_id, stream_id, last_engaged_at) values (?, ?, ?)
                    on conflict (tenant_id, coalesce(stream_id, '00000000-0000-0000-0000-000000000000'::uuid))
                    do update set last_engaged_at = excluded.last_engaged_at""", tenantId, streamId,
                    Timestamp.from(now));
        }
        return engaged;
    }

    /** True when it was engaged. */
    @Transactional
    boolean release(@TenantId UUID tenantId, UUID streamId) {
        return jdbc.update("delete from kill_switches where tenant_id = ? and stream_id is not distinct from ?",
                tenantId, streamId) == 1;
    }

    /** True when the switch was engaged with a release time that has come, and is now released. */
    @Transactional
    boolean releaseIfDue(@TenantId UUID tenantId, UUID streamId, Instant now) {
        return jdbc.update("""
                delete from kill_switches where tenant_id = ? and stream_id is not distinct from ? and release_at <= ?""",
                tenantId, streamId, Timestamp.from(now)) == 1;
    }

    /** Every switch, of every organisation, whose release time has come. */
    @SystemScope("the release job looks for due switches of every organisation at once")
    @Transactional(readOnly = true)
    List<Due> due(Instant now) {
        return jdbc.query("select tenant_id, stream_id from kill_switches where release_at <= ?",
                (rs, i) -> new Due(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class)), Timestamp.from(now));
    }

    record Due(UUID tenantId, UUID streamId) {
    }

    /**
     * Whether the switch is engaged now and by the auto-guard, and when it was last engaged (epoch milliseconds, 0:
     * never).
     */
    @Transactional(readOnly = true)
    State state(@TenantId UUID tenantId, UUID streamId) {
        return jdbc.queryForObject("""
                select exists(select 1 from kill_switches where tenant_id = ? and stream_id is not distinct from ?),
                       exists(select 1 from kill_switches where tenant_id = ? and stream_id is not distinct from ?
                              and auto_guard),
                       (select last_engaged_at from kill_switch_engagements
                        where tenant_id = ? and stream_id is not distinct from ?)""",
                (rs, i) -> new State(rs.getBoolean(1), rs.getBoolean(2),
                        rs.getTimestamp(3) == null ? 0 : rs.getTimestamp(3).getTime()),
                tenantId, streamId, tenantId, streamId, tenantId, streamId);
    }

    record State(boolean engaged, boolean autoGuard, long epoch) {
    }

    @Transactional(readOnly = true)
    List<KillSwitchView> all(@TenantId UUID tenantId) {
        return jdbc.query("""
                select stream_id, reason, engaged_by, engaged_at, release_at, auto_guard from kill_switches
                where tenant_id = ? order by stream_id nulls first""", (rs, i) -> new KillSwitchView(
                rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3), rs.getTimestamp(4).toInstant(),
                rs.getTimestamp(5) == null ? null : rs.getTimestamp(5).toInstant(), rs.getBoolean(6)), tenantId);
    }
}
