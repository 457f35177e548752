package io.meshcp.apikeys;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import io.meshcp.database.DatabaseScope;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.TransactionException;
import org.springframework.transaction.support.TransactionOperations;

/**
 * Remembers when each key was last used and writes it in one batch every few seconds, instead of one
 * database write per request. Unwritten times are merged into what lists show, so they never lag.
 */
@Component
class LastUsedTracker {

    private static final Logger log = LoggerFactory.getLogger(LastUsedTracker.class);

    private final Map<UUID, Instant> pending = new ConcurrentHashMap<>();

    private final JdbcTemplate jdbc;

    private final TransactionOperations transactions;

    LastUsedTracker(JdbcTemplate jdbc, TransactionOperations transactions) {
        this.jdbc = jdbc;
        this.transactions = transactions;
    }

    void used(UUID keyId, Instant at) {
        pending.merge(keyId, at, (a, b) -> a.isAfter(b) ? a : b);
    }

    Instant pending(UUID keyId) {
        return pending.get(keyId);
    }

    @Scheduled(fixedDelayString = "${meshcp.api-keys.last-used-flush-interval:10s}")
    @PreDestroy
    void flush() {
        if (pending.isEmpty()) {
            return;
        }
        Map<UUID, Instant> taken = new HashMap<>();
        List<Object[]> batch = new ArrayList<>();
        for (UUID keyId : List.copyOf(pending.keySet())) {
            Instant at = pending.remove(keyId);
            if (at != null) {
                taken.put(keyId, at);
                Timestamp time = Timestamp.from(at);
                batch.add(new Object[] {time, time, keyId});
            }
        }
        try {
            // One batch for the keys of every organisation used since the last flush.
            DatabaseScope.system(() -> transactions.executeWithoutResult(status -> jdbc.batchUpdate(
                    "update api_keys set last_used_at = greatest(coalesce(last_used_at, ?), ?) where id = ?", batch)));
        }
        catch (DataAccessException | TransactionException e) {
            // The database is away (or the batch failed): keep the times for the next flush instead of losing them,
            // with one line per attempt rather than a stack trace every few seconds of an outage.
            taken.forEach(this::used);
            log.warn("Could not record when {} API keys were last used; trying again at the next flush: {}",
                    taken.size(), e.getMessage());
        }
    }
}
