package io.meshcp.apikeys;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import io.meshcp.database.SystemScope;
import io.meshcp.database.TenantId;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/** The answers kept for Idempotency-Key (V16): claimed before the first request runs, filled in when it is done. */
@Repository
class IdempotentRequests {

    /** How long an answer is kept for retries. */
    static final Duration KEPT = Duration.ofHours(24);

    private final JdbcTemplate jdbc;

    private final Clock clock;

    IdempotentRequests(JdbcTemplate jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** A request seen before with this key: what it was, and its answer (status null while it is in flight). */
    record Seen(byte[] requestHash, Integer status, String contentType, String location, String etag, byte[] body) {
    }

    /**
     * Claims the key for a request, or answers what an earlier request with it left. A claim older than
     * {@link #KEPT} is taken over, as if the key were new.
     */
    @Transactional
    Optional<Seen> claim(@TenantId UUID tenantId, String key, byte[] requestHash) {
        Instant now = clock.instant();
        jdbc.update("delete from api_idempotency_keys where tenant_id = ? and key = ? and created_at < ?", tenantId,
                key, Timestamp.from(now.minus(KEPT)));
        if (jdbc.update("""
                insert into api_idempotency_keys (tenant_id, key, request_hash, created_at) values (?, ?, ?, ?)
                on conflict do nothing""", tenantId, key, requestHash, Timestamp.from(now)) == 1) {
            return Optional.empty();
        }
        return jdbc.query("""
                select request_hash, status, content_type, location, etag, body from api_idempotency_keys
                where tenant_id = ? and key = ?""", (rs, i) -> new Seen(rs.getBytes(1),
                rs.getObject(2) == null ? null : rs.getInt(2), rs.getString(3), rs.getString(4), rs.getString(5),
                rs.getBytes(6)), tenantId, key).stream().findFirst()
                // Taken between the insert and the select by a request that then failed: claim it again.
                .or(() -> claim(tenantId, key, requestHash));
    }

    @Transactional
    void complete(@TenantId UUID tenantId, String key, int status, String contentType, String location, String etag,
            byte[] body) {
        jdbc.update("""
                update api_idempotency_keys set status = ?, content_type = ?, location = ?, etag = ?, body = ?
                where tenant_id = ? and key = ?""", status, contentType, location, etag, body, tenantId, key);
    }

    /** Lets the key go: the request failed in a way a retry may not (a 5xx), so a retry runs again. */
    @Transactional
    void release(@TenantId UUID tenantId, String key) {
        jdbc.update("delete from api_idempotency_keys where tenant_id = ? and key = ?", tenantId, key);
    }

    @Scheduled(fixedDelayString = "PT1H", initialDelayString = "PT10M")
    @SystemScope("answers of every organisation expire together")
    @Transactional
    void expire() {
        jdbc.update("delete from api_idempotency_keys where created_at < ?", Timestamp.from(clock.instant()
                .minus(KEPT)));
    }
}
