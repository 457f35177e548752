package io.meshcp.apikeys;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.support.SimpleTransactionStatus;
import org.springframework.transaction.support.TransactionCallback;
import org.springframework.transaction.support.TransactionOperations;

class LastUsedTrackerTests {

    /** Fails its first batch as an unreachable database would, then records what it is given. */
    static final class FlakyDatabase extends JdbcTemplate {

        boolean down = true;

        final List<Object[]> written = new ArrayList<>();

        @Override
        public int[] batchUpdate(String sql, List<? extends Object[]> batchArgs) {
            if (down) {
                throw new DataAccessResourceFailureException("connection refused");
            }
            written.addAll(batchArgs);
            return new int[batchArgs.size()];
        }
    }

    @Test
    void timesThatCouldNotBeWrittenAreKeptForTheNextFlush() {
        FlakyDatabase database = new FlakyDatabase();
        LastUsedTracker tracker = new LastUsedTracker(database, TransactionOperations.withoutTransaction());
        UUID key = UUID.randomUUID();
        Instant at = Instant.parse("2026-11-29T05:00:00Z");
        tracker.used(key, at);

        tracker.flush();
        assertThat(tracker.pending(key)).as("kept through the failed flush").isEqualTo(at);

        // Used again meanwhile, earlier than the kept time (requests race): the later time wins.
        tracker.used(key, at.minusSeconds(5));
        database.down = false;
        tracker.flush();
        assertThat(database.written).singleElement()
                .satisfies(row -> assertThat(row).containsExactly(Timestamp.from(at), Timestamp.from(at), key));
        assertThat(tracker.pending(key)).isNull();
    }

    @Test
    void timesAreKeptWhenNoTransactionCanBegin() {
        FlakyDatabase database = new FlakyDatabase();
        database.down = false;
        AtomicBoolean down = new AtomicBoolean(true);
        // What the transaction manager throws when the pool has no connection to give.
        TransactionOperations transactions = new TransactionOperations() {
            @Override
            public <T> T execute(TransactionCallback<T> action) {
                if (down.get()) {
                    throw new CannotCreateTransactionException("Could not open JPA EntityManager for transaction");
                }
                return action.doInTransaction(new SimpleTransactionStatus());
            }
        };
        LastUsedTracker tracker = new LastUsedTracker(database, transactions);
        UUID key = UUID.randomUUID();
        Instant at = Instant.parse("2026-12-07T05:00:00Z");
        tracker.used(key, at);

        tracker.flush();
        assertThat(tracker.pending(key)).as("kept through the failed flush").isEqualTo(at);
        down.set(false);
        tracker.flush();
        assertThat(database.written).singleElement()
                .satisfies(row -> assertThat(row).containsExactly(Timestamp.from(at), Timestamp.from(at), key));
    }
}
