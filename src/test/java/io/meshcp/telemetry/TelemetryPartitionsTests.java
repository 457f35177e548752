package io.meshcp.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.meshcp.support.IntegrationTest;
import io.meshcp.support.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/** Partitions made ahead of time by every node, including several starting at once. */
@IntegrationTest
class TelemetryPartitionsTests {

    /** A day long past, so that the partitions made here are of no other test's and are dropped afterwards. */
    static final Clock PAST = Clock.fixed(Instant.parse("2020-03-10T12:00:00Z"), ZoneOffset.UTC);

    JdbcTemplate jdbc = TestDatabase.owner();

    @Autowired
    TelemetryProperties properties;

    /** The application's own connection: its login owns no table, so the partitions are the owner's doing. */
    @Autowired
    JdbcTemplate application;

    @Autowired
    TransactionTemplate transactions;

    @AfterEach
    void dropThePastPartitions() {
        for (String table : pastPartitions()) {
            jdbc.execute("drop table " + table);
        }
    }

    @Test
    void nodesStartingTogetherEachMakeThePartitionsWithoutTrippingOverOneAnother() throws Exception {
        CyclicBarrier start = new CyclicBarrier(4);
        try (ExecutorService nodes = Executors.newFixedThreadPool(4)) {
            List<Future<?>> runs = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                TelemetryPartitions node = new TelemetryPartitions(application, transactions, properties, PAST);
                runs.add(nodes.submit(() -> {
                    start.await();
                    node.maintain();
                    return null;
                }));
            }
            for (Future<?> run : runs) {
                run.get(60, TimeUnit.SECONDS);
            }
        }

        // From the oldest day an event may have (48 hours back, and the day before) to two days ahead.
        assertThat(pastPartitions()).hasSize(TelemetryPartitions.RETENTIONS.size() * 6)
                .contains("telemetry_events_r7_20200307", "telemetry_events_r365_20200312");
    }

    private List<String> pastPartitions() {
        return jdbc.queryForList("select relname from pg_class where relname like 'telemetry\\_events\\_r%\\_2020%' "
                + "and relkind = 'r' order by relname", String.class);
    }
}
