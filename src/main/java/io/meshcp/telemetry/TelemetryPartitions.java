package io.meshcp.telemetry;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.meshcp.database.DatabaseScope;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionOperations;

/**
 * Keeps the raw events' daily partitions (UTC days) ahead of time and drops those past their retention:
 * for each retention (7, 30, 90, 365 days) a partition per day from the oldest accepted event's day to
 * two days ahead. A partition is dropped whole once its day is older than its retention. Nodes take turns
 * through an advisory lock: "create table if not exists" is not safe against itself running at the same time
 * (replicas that start together would fail on a duplicate catalog row). The application's login owns no table, so
 * the owner's functions of V13 make and drop them.
 */
@Component
class TelemetryPartitions {

    static final List<Integer> RETENTIONS = List.of(7, 30, 90, 365);

    private static final Logger log = LoggerFactory.getLogger(TelemetryPartitions.class);

    private static final DateTimeFormatter DAY = DateTimeFormatter.BASIC_ISO_DATE;

    private static final Pattern NAME = Pattern.compile("telemetry_events_r(\\d+)_(\\d{8})");

    private static final int DAYS_AHEAD = 2;

    private final JdbcTemplate jdbc;

    private final TelemetryProperties properties;

    private final Clock clock;

    private final TransactionOperations transactions;

    TelemetryPartitions(JdbcTemplate jdbc, TransactionOperations transactions, TelemetryProperties properties,
            Clock clock) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.properties = properties;
        this.clock = clock;
    }

    @Scheduled(fixedDelayString = "PT1H", initialDelayString = "PT1H")
    void maintain() {
        // Partitions are about every organisation at once. The owner makes and drops them (V13's functions); each
        // statement commits on its own, so no catalog lock is held longer than its statement, under a lock that lets
        // one node at a time run it.
        DatabaseScope.system(() -> {
            LocalDate today = LocalDate.now(clock.withZone(ZoneOffset.UTC));
            long daysBack = properties.maxEventAge().toDays() + 1;
            for (int retention : RETENTIONS) {
                for (LocalDate day = today.minusDays(daysBack); !day.isAfter(today.plusDays(DAYS_AHEAD));
                        day = day.plusDays(1)) {
                    alone("select meshcp_create_telemetry_partition(?, ?)", retention, day);
                }
            }
            for (String table : transactions.execute(status -> jdbc.queryForList(
                    "select relname from pg_class where relname like 'telemetry\\_events\\_r%\\_%' and relkind = 'r'",
                    String.class))) {
                Matcher matcher = NAME.matcher(table);
                if (matcher.matches()) {
                    int retention = Integer.parseInt(matcher.group(1));
                    LocalDate day = LocalDate.parse(matcher.group(2), DAY);
                    // The whole day must be older than the retention, and older than any event still accepted.
                    if (day.plusDays(1).isBefore(today.minusDays(Math.max(retention, daysBack)))) {
                        alone("select meshcp_drop_telemetry_partition(?, ?)", retention, day);
                        log.info("Dropped telemetry partition {} (retention {} days)", table, retention);
                    }
                }
            }
        });
    }

    private void alone(String sql, int retention, LocalDate day) {
        transactions.executeWithoutResult(status -> {
            jdbc.queryForList("select pg_advisory_xact_lock(hashtextextended('telemetry-partitions', 0))");
            jdbc.queryForList(sql, retention, day);
        });
    }

    /** Each sums table is kept for its resolution's retention; the hourly reasons as long as hour sums. */
    @Scheduled(fixedDelayString = "PT1H", initialDelayString = "PT5M")
    void expireSums() {
        // Retention of the sums is the same for every organisation.
        DatabaseScope.system(() -> transactions.executeWithoutResult(status -> {
            for (SumsTable sums : SumsTable.values()) {
                jdbc.update("delete from " + sums.table() + " where bucket < now() - make_interval(secs => ?)",
                        SumsTable.retention(sums.unit()).toSeconds());
            }
            jdbc.update("delete from telemetry_reasons_hour where bucket < now() - make_interval(secs => ?)",
                    SumsTable.retention(ChronoUnit.HOURS).toSeconds());
            // TelemetryStore reads the last seven days of retention changes; older ones can match no accepted event.
            jdbc.update("delete from telemetry_retention_changes where changed_at < now() - interval '8 days'");
            jdbc.update("delete from telemetry_sessions where last_ts < now() - make_interval(secs => ?)",
                    properties.maxEventAge().plusDays(1).toSeconds());
        }));
    }

    static String name(int retention, LocalDate day) {
        return "telemetry_events_r" + retention + "_" + DAY.format(day);
    }
}
