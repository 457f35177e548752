package io.meshcp.cluster;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.meshcp.apikeys.ApiKeyChanged;
import io.meshcp.database.DatabaseScope;
import io.meshcp.policies.PolicyChanged;
import io.meshcp.streams.StreamChanged;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionPhase;
import org.springframework.transaction.event.TransactionalEventListener;
import org.springframework.transaction.support.TransactionOperations;

/**
 * Tells every node about committed key, policy and stream changes through the database (table
 * {@code cache_changes}, V18): a change is written by the transaction that makes it, so it is never lost and never
 * sent for a change that rolled back, and every node reads what other nodes wrote every {@code poll-interval}
 * (500 ms) and replays it here as the same event, which the caches listen to. This is why the caches need not
 * re-read each entry every second to see other nodes' changes, and why it works without Redis.
 *
 * <p>A replayed change is published outside any transaction: the caches listen with {@code fallbackExecution},
 * while the listeners below write only before a commit, so a replayed change is never written again.
 */
@Component
class CacheChangeLog {

    private static final Logger log = LoggerFactory.getLogger(CacheChangeLog.class);

    /**
     * Each reading goes back this far before the newest change read: a row is stamped when its transaction writes
     * it, which can be a little before the transaction commits and the row becomes visible.
     */
    static final Duration OVERLAP = Duration.ofSeconds(5);

    /** Longer than any cache keeps an entry without reading it again (cache-max-staleness). */
    static final Duration KEPT_FOR = Duration.ofHours(1);

    private static final Duration PRUNE_EVERY = Duration.ofMinutes(1);

    enum Kind {
        API_KEY, POLICY, STREAM
    }

    private record Change(long id, Instant changedAt, UUID node, Kind kind, UUID tenantId, UUID streamId,
            String externalId, String keyHash) {
    }

    private final UUID node = UUID.randomUUID();

    private final JdbcTemplate jdbc;

    private final TransactionOperations transactions;

    private final ApplicationEventPublisher events;

    /**
     * The next reading returns the changes stamped after this; null until the first reading, which starts from the
     * database's clock at that moment. A failed reading leaves it, so the next one also returns what was missed.
     */
    private Instant since;

    /** The changes already replayed, by id, that a reading can still return (the overlap). */
    private final Map<Long, Instant> replayed = new HashMap<>();

    private Instant prunedAt = Instant.EPOCH;

    private boolean failing;

    CacheChangeLog(JdbcTemplate jdbc, TransactionOperations transactions, ApplicationEventPublisher events) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.events = events;
    }

    @TransactionalEventListener(phase = TransactionPhase.BEFORE_COMMIT)
    void on(ApiKeyChanged change) {
        write(Kind.API_KEY, null, null, null, change.keyHash());
    }

    @TransactionalEventListener(phase = TransactionPhase.BEFORE_COMMIT)
    void on(PolicyChanged change) {
        write(Kind.POLICY, change.tenantId(), change.streamId(), null, null);
    }

    @TransactionalEventListener(phase = TransactionPhase.BEFORE_COMMIT)
    void on(StreamChanged change) {
        write(Kind.STREAM, change.tenantId(), change.streamId(), change.externalId(), null);
    }

    private void write(Kind kind, UUID tenantId, UUID streamId, String externalId, String keyHash) {
        // In the changing transaction's own scope: an organisation's scope writes its own rows (tenant_id defaults
        // to it when the change names none, as a key's does).
        jdbc.update("insert into cache_changes (node, kind, tenant_id, stream_id, external_id, key_hash) "
                + "values (?, ?, coalesce(?, meshcp_tenant()), ?, ?, ?)", node, kind.name(), tenantId, streamId,
                externalId, keyHash);
    }

    /** Replays the changes other nodes made since the last reading; prunes the old ones now and then. */
    @Scheduled(fixedDelayString = "${meshcp.caches.change-poll-interval:500ms}")
    synchronized void poll() {
        Reading reading;
        try {
            // The system scope: the log is about every organisation. Read in one transaction, replayed after it.
            reading = DatabaseScope.system(() -> transactions.execute(status -> read()));
        }
        catch (DataAccessException e) {
            if (!failing) {
                log.warn("Cannot read other nodes' changes from cache_changes; this node's caches keep what they "
                        + "hold, and the changes made meanwhile are read once the database answers: {}", e.toString());
                failing = true;
            }
            return;
        }
        if (failing) {
            log.info("Reading other nodes' changes from cache_changes again");
            failing = false;
        }
        for (Change change : reading.changes()) {
            if (replayed.putIfAbsent(change.id(), change.changedAt()) == null && !node.equals(change.node())) {
                events.publishEvent(switch (change.kind()) {
                    case API_KEY -> new ApiKeyChanged(change.keyHash());
                    case POLICY -> new PolicyChanged(change.tenantId(), change.streamId());
                    case STREAM -> new StreamChanged(change.tenantId(), change.streamId(), change.externalId());
                });
            }
        }
        // A row not visible yet was written less than OVERLAP before this reading, so the next one starts there.
        since = reading.at().minus(OVERLAP);
        replayed.values().removeIf(changedAt -> !changedAt.isAfter(since));
    }

    private record Reading(Instant at, List<Change> changes) {
    }

    private Reading read() {
        Instant now = jdbc.queryForObject("select clock_timestamp()", OffsetDateTime.class).toInstant();
        Instant from = since == null ? now.minus(OVERLAP) : since;
        List<Change> changes = jdbc.query("select id, changed_at, node, kind, tenant_id, stream_id, external_id, "
                + "key_hash from cache_changes where changed_at > ? order by id", (row, n) -> new Change(row.getLong(1),
                        row.getObject(2, OffsetDateTime.class).toInstant(), row.getObject(3, UUID.class),
                        Kind.valueOf(row.getString(4)), row.getObject(5, UUID.class), row.getObject(6, UUID.class),
                        row.getString(7), row.getString(8)), from.atOffset(ZoneOffset.UTC));
        if (Duration.between(prunedAt, now).compareTo(PRUNE_EVERY) > 0) {
            jdbc.update("delete from cache_changes where changed_at < ?", now.minus(KEPT_FOR).atOffset(ZoneOffset.UTC));
            prunedAt = now;
        }
        return new Reading(now, changes);
    }
}
