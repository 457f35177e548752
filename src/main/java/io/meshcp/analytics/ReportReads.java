package io.meshcp.analytics;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;

import io.meshcp.accounts.Accounts;
import io.meshcp.player.Cohort;
import io.meshcp.player.DeviceClass;
import io.meshcp.player.Network;
import io.meshcp.player.WireCode;
import io.meshcp.shared.problems.FieldError;
import io.meshcp.shared.problems.InvalidInputException;
import io.meshcp.shared.problems.NotFoundException;
import io.meshcp.streams.StreamDirectory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What every report does around its statements: checks the query, waits for its turn at the database
 * ({@link QueryGate}), reads in one read-only transaction with room to aggregate, and prices bytes at the
 * organisation's CDN price.
 */
@Component
class ReportReads {

    /** The instants a query may name: ISO-8601's four-digit years, well inside PostgreSQL's timestamps. */
    private static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");

    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999999Z");

    private final JdbcTemplate jdbc;

    private final Accounts accounts;

    private final StreamDirectory streams;

    private final QueryGate gate;

    private final TransactionTemplate readOnly;

    private final Clock clock;

    ReportReads(JdbcTemplate jdbc, Accounts accounts, StreamDirectory streams, PlatformTransactionManager transactions,
            Clock clock, @Value("${meshcp.analytics.max-concurrent-queries:5}") int maxConcurrentQueries,
            @Value("${meshcp.analytics.max-queue-wait:2s}") Duration maxQueueWait) {
        this.jdbc = jdbc;
        this.accounts = accounts;
        this.streams = streams;
        this.clock = clock;
        this.gate = new QueryGate(maxConcurrentQueries, maxQueueWait);
        this.readOnly = new TransactionTemplate(transactions);
        readOnly.setReadOnly(true);
    }

    JdbcTemplate jdbc() {
        return jdbc;
    }

    Accounts accounts() {
        return accounts;
    }

    Instant now() {
        return clock.instant();
    }

    BigDecimal cdnPricePerGb(UUID tenantId) {
        return accounts.tenant(tenantId).cdnPricePerGb();
    }

    /**
     * Checks the query ({@code maxRange} is the longest range the report reads), then runs the report's statements
     * in a read-only transaction, when the gate lets it have a connection.
     */
    <T> T read(UUID tenantId, AnalyticsQuery query, Duration maxRange, Supplier<T> report) {
        return gate.pass(() -> readOnly.execute(status -> {
            check(tenantId, query, maxRange);
            roomToAggregate();
            return report.get();
        }));
    }

    private void check(UUID tenantId, AnalyticsQuery query, Duration maxRange) {
        List<FieldError> errors = new ArrayList<>();
        if (query.from() == null) {
            errors.add(new FieldError("from", "is required, an ISO-8601 instant"));
        }
        else if (outsideYears(query.from())) {
            errors.add(new FieldError("from", "must be within the years 1 to 9999"));
        }
        if (query.to() == null) {
            errors.add(new FieldError("to", "is required, an ISO-8601 instant"));
        }
        else if (outsideYears(query.to())) {
            errors.add(new FieldError("to", "must be within the years 1 to 9999"));
        }
        if (query.from() != null && query.to() != null && !outsideYears(query.from()) && !outsideYears(query.to())) {
            if (!query.from().isBefore(query.to())) {
                errors.add(new FieldError("to", "must be after from"));
            }
            else if (Duration.between(query.from(), query.to()).compareTo(maxRange) > 0) {
                errors.add(new FieldError("to", "the range may span at most " + maxRange.toDays()
                        + " days at this granularity"));
            }
        }
        if (query.cohort() != null && WireCode.parse(Cohort.class, query.cohort()).isEmpty()) {
            errors.add(new FieldError("cohort", WireCode.mustBeOneOf(Cohort.class)));
        }
        if (query.device() != null && WireCode.parse(DeviceClass.class, query.device()).isEmpty()) {
            errors.add(new FieldError("device", WireCode.mustBeOneOf(DeviceClass.class)));
        }
        if (query.network() != null && WireCode.parse(Network.class, query.network()).isEmpty()) {
            errors.add(new FieldError("network", WireCode.mustBeOneOf(Network.class)));
        }
        if (query.rendition() != null && !query.rendition().matches("[A-Za-z0-9_.-]{1,64}")) {
            errors.add(new FieldError("rendition", "must be 1 to 64 of [A-Za-z0-9_.-]"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(errors);
        }
        if (query.streamId() != null && streams.byId(tenantId, query.streamId()).isEmpty()) {
            throw new NotFoundException("stream " + query.streamId());
        }
    }

    private static boolean outsideYears(Instant instant) {
        return instant.isBefore(EARLIEST) || instant.isAfter(LATEST);
    }

    /**
     * Settings for this transaction only. A month of minute sums is grouped by tens of thousands of buckets:
     * with PostgreSQL's default 4 MB of work_mem the hash tables spill to disk. Statements prepared on the
     * server switch to a generic plan after five runs, planned for a few hundred rows whatever the range;
     * for a month it sorts on disk and takes three times as long, so each run is planned for its own
     * parameters (a millisecond). JIT compiles for longer than these queries run.
     */
    private void roomToAggregate() {
        jdbc.query("select set_config('work_mem', '64MB', true), set_config('plan_cache_mode', 'force_custom_plan', true), "
                + "set_config('jit', 'off', true)", rows -> {
                });
    }
}
