package io.meshcp.signaling;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import io.meshcp.database.DatabaseScope;
import io.meshcp.database.TenantId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionOperations;

/**
 * Sockets the tracker admitted and refused per stream, counted in memory on the hot path and added to the minute's
 * row of {@code signaling_minutes} (V22) every 15 seconds, so that all nodes' counts are summed in one place. Only
 * refusals that are nobody's decision are counted (a socket limit, a stale token), not a kill switch or a holdout:
 * what an organisation wants to be alerted about. Counts not yet written when a node stops are lost; they are a
 * signal for alerts, not a ledger.
 */
@Component
public class SignalingMinutes {

    private static final Logger log = LoggerFactory.getLogger(SignalingMinutes.class);

    static final Duration KEPT_FOR = Duration.ofDays(35);

    /** What a stream's sockets came to over a range, summed over every node. */
    public record Activity(long admitted, long refused) {

        /** The share of sockets refused, null when there were none. */
        public Double refusedShare() {
            long all = admitted + refused;
            return all == 0 ? null : (double) refused / all;
        }
    }

    private record StreamKey(UUID tenantId, UUID streamId) {
    }

    private final Map<StreamKey, LongAdder[]> counts = new ConcurrentHashMap<>();

    private final JdbcTemplate jdbc;

    private final TransactionOperations transactions;

    private final Clock clock;

    private Instant prunedAt = Instant.EPOCH;

    SignalingMinutes(JdbcTemplate jdbc, TransactionOperations transactions, Clock clock) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.clock = clock;
    }

    void admitted(SignalingClaims claims) {
        tally(claims, 0);
    }

    /** A refusal of this viewer's socket; counted only for reasons no one chose. */
    void refused(SignalingClaims claims, Refusal refusal) {
        if (claims != null && (refusal == Refusal.TENANT_CONNECTIONS || refusal == Refusal.SESSION_CONNECTIONS
                || refusal == Refusal.TOKEN_EXPIRED || refusal == Refusal.TOKEN_SUPERSEDED)) {
            tally(claims, 1);
        }
    }

    private void tally(SignalingClaims claims, int which) {
        counts.computeIfAbsent(new StreamKey(claims.tenantId(), claims.streamId()),
                key -> new LongAdder[] {new LongAdder(), new LongAdder()})[which].increment();
    }

    /** A stream's sockets over [from, to), from the minutes that start in it. */
    @Transactional(readOnly = true)
    public Activity activity(@TenantId UUID tenantId, UUID streamId, Instant from, Instant to) {
        return jdbc.queryForObject("select coalesce(sum(admitted), 0), coalesce(sum(refused), 0) from "
                + "signaling_minutes where tenant_id = ? and stream_id = ? and minute >= ? and minute < ?",
                (row, n) -> new Activity(row.getLong(1), row.getLong(2)), tenantId, streamId,
                from.truncatedTo(ChronoUnit.MINUTES).atOffset(ZoneOffset.UTC), to.atOffset(ZoneOffset.UTC));
    }

    /** The streams of an organisation with sockets in [from, to). */
    @Transactional(readOnly = true)
    public List<UUID> streamsWithSockets(@TenantId UUID tenantId, Instant from, Instant to) {
        return jdbc.queryForList("select distinct stream_id from signaling_minutes where tenant_id = ? and minute >= ? "
                + "and minute < ?", UUID.class, tenantId, from.truncatedTo(ChronoUnit.MINUTES)
                        .atOffset(ZoneOffset.UTC), to.atOffset(ZoneOffset.UTC));
    }

    @Scheduled(fixedDelayString = "${meshcp.signaling.minutes-flush-interval:15s}")
    public void flush() {
        Instant now = clock.instant();
        List<Object[]> rows = new ArrayList<>();
        counts.forEach((key, adders) -> {
            long admitted = adders[0].sumThenReset();
            long refused = adders[1].sumThenReset();
            if (admitted + refused > 0) {
                rows.add(new Object[] {key.tenantId(), key.streamId(), now.truncatedTo(ChronoUnit.MINUTES)
                        .atOffset(ZoneOffset.UTC), admitted, refused});
            }
        });
        counts.values().removeIf(adders -> adders[0].sum() + adders[1].sum() == 0);
        try {
            // The system scope: one batch for every organisation's streams.
            DatabaseScope.system(() -> transactions.executeWithoutResult(status -> {
                if (!rows.isEmpty()) {
                    jdbc.batchUpdate("insert into signaling_minutes (tenant_id, stream_id, minute, admitted, refused) "
                            + "values (?, ?, ?, ?, ?) on conflict (tenant_id, stream_id, minute) do update set "
                            + "admitted = signaling_minutes.admitted + excluded.admitted, "
                            + "refused = signaling_minutes.refused + excluded.refused", rows);
                }
                if (Duration.between(prunedAt, now).compareTo(Duration.ofHours(1)) > 0) {
                    jdbc.update("delete from signaling_minutes where minute < ?", now.minus(KEPT_FOR)
                            .atOffset(ZoneOffset.UTC));
                    prunedAt = now;
                }
            }));
        }
        catch (DataAccessException e) {
            log.warn("Could not write the tracker's socket counts ({} streams); they are dropped: {}", rows.size(),
                    e.toString());
        }
    }
}
