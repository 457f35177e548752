package io.meshcp.telemetry;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.meshcp.database.DatabaseScope;
import io.meshcp.telemetry.Heartbeat.EventKey;
import org.apache.commons.csv.CSVFormat;
import org.postgresql.PGConnection;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Writes a group of batches in one transaction: the raw events (each stored once, whoever sent it
 * first), then the minute, hour and reason sums and the sessions' last heartbeats, from the events that
 * were new. Raw rows go in by COPY into a temporary table and on with one INSERT, the sums as a handful of array
 * parameters per statement: never one statement per event. The groups mix organisations, so they are written in
 * the system scope.
 */
@Component
class TelemetryStore {

    private static final String COLUMNS = """
            tenant_id, retention_days, event_id, ts, received_at, session_id, stream_id, rendition, cohort, interval_ms,
            cdn_bytes, p2p_bytes_down, p2p_bytes_up, peers, play_ms, rebuffer_ms, latency_ms, battery, charging, network,
            device, nat, player, sdk, p2p_reasons""";

    // Rows are copied into a per-connection temporary table first: COPY cannot write to a table under row-level
    // security, and INSERT ... SELECT from the stage can.
    private static final String CREATE_STAGE = """
            create temporary table if not exists telemetry_stage on commit delete rows
            as select * from telemetry_events with no data
            """;

    private static final String COPY_STAGE = "copy telemetry_stage (" + COLUMNS + ") from stdin (format csv)";

    // Fast path: almost every event arrives once, so the rows move as they are. A move that meets an event stored
    // before fails as a whole, and the group is written again the careful way.
    private static final String MOVE_STAGE = "insert into telemetry_events select * from telemetry_stage";

    // Careful path: ON CONFLICT DO NOTHING skips replays and reports the rows that were new.
    private static final String MOVE_STAGE_NEW = "insert into telemetry_events select * from telemetry_stage "
            + "on conflict do nothing returning tenant_id, event_id, ts";

    private static final String UPSERT_REASONS = """
            insert into telemetry_reasons_hour as m (tenant_id, bucket, stream_id, device, network, nat, reason, events,
                viewer_ms)
            select t, timestamptz 'epoch' + b * interval '1 millisecond', st, d, n, na, r, ev, vm
            from unnest(?::uuid[], ?::int8[], ?::uuid[], ?::text[], ?::text[], ?::text[], ?::text[], ?::int8[],
                ?::int8[]) as u(t, b, st, d, n, na, r, ev, vm)
            on conflict (tenant_id, bucket, stream_id, device, network, nat, reason) do update set
                events = m.events + excluded.events, viewer_ms = m.viewer_ms + excluded.viewer_ms
            """;

    // The per-tenant reasons (V9) are kept by two statement triggers on the upsert above, its updates' then its
    // inserts', each taking rows in key order; two writers could still take them in crossing order across the two
    // passes. Taking them all first, in one pass in key order (a conflict locks its row even though WHERE false
    // changes nothing), means the triggers only meet rows this transaction holds.
    private static final String LOCK_TENANT_REASONS = """
            insert into telemetry_reasons_hour_tenant as t (tenant_id, bucket, reason, events, viewer_ms)
            select distinct tn, timestamptz 'epoch' + b * interval '1 millisecond', r, 0::int8, 0::int8
            from unnest(?::uuid[], ?::int8[], ?::text[]) as u(tn, b, r)
            order by 1, 2, 3
            on conflict (tenant_id, bucket, reason) do update set events = t.events where false
            """;

    private static final String LOCK_SESSIONS = """
            select tenant_id, session_id, last_ts, battery, charging from telemetry_sessions
            where (tenant_id, session_id) in (select * from unnest(?::uuid[], ?::text[]))
            order by tenant_id, session_id
            for update
            """;

    private static final String UPSERT_SESSIONS = """
            insert into telemetry_sessions as s (tenant_id, session_id, last_ts, battery, charging)
            select t, si, timestamptz 'epoch' + ts * interval '1 millisecond', b, c
            from unnest(?::uuid[], ?::text[], ?::int8[], ?::float4[], ?::bool[]) as u(t, si, ts, b, c)
            on conflict (tenant_id, session_id) do update set last_ts = excluded.last_ts, battery = excluded.battery,
                charging = excluded.charging
            where s.last_ts < excluded.last_ts
            """;

    private static final String INSERT_FIRST_HEARTBEATS = """
            insert into telemetry_stream_first_heartbeats (tenant_id, stream_id, first_at)
            select tenant_id, stream_id, now() from unnest(?::uuid[], ?::uuid[]) as u(tenant_id, stream_id)
            on conflict do nothing
            """;

    /** The share of a stretch between two heartbeats that must be playback for its battery drain to count. */
    private static final double PLAYING_SHARE = 0.9;

    /** Two heartbeats are consecutive when no more than about two intervals lie between them. */
    private static final long CONSECUTIVE_SLACK_MS = 5_000;

    /** After a group met a replayed event, more replays are likely (a client catching up): go careful a while. */
    private static final Duration CAREFUL_AFTER_REPLAY = Duration.ofSeconds(10);

    private final JdbcTemplate jdbc;

    private final TransactionTemplate transactions;

    private final Clock clock;

    private volatile long carefulUntilMillis;

    /** Streams whose first heartbeat is known to be recorded; one forgotten costs one idempotent insert again. */
    private final Cache<StreamKey, Boolean> streamsWithFirstHeartbeat = Caffeine.newBuilder().maximumSize(100_000)
            .build();

    private final Duration maxClockSkew;

    TelemetryStore(JdbcTemplate jdbc, TransactionTemplate transactions, Clock clock, TelemetryProperties properties) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.clock = clock;
        this.maxClockSkew = properties.maxClockSkew();
    }

    /** One tenant's valid events from one request. */
    record Batch(UUID tenantId, List<Heartbeat> events) {
    }

    /** Stores the batches in one transaction; how many events of each batch were new. */
    int[] write(List<Batch> batches) {
        if (clock.millis() >= carefulUntilMillis) {
            try {
                return write(batches, false);
            }
            catch (DuplicateKeyException replayed) {
                carefulUntilMillis = clock.millis() + CAREFUL_AFTER_REPLAY.toMillis();
            }
        }
        return write(batches, true);
    }

    private int[] write(List<Batch> batches, boolean careful) {
        return DatabaseScope.system(() -> transactions.execute(status -> jdbc.execute(
                (ConnectionCallback<int[]>) con -> store(con, batches, careful))));
    }

    private int[] store(Connection con, List<Batch> batches, boolean careful) throws SQLException {
        // An event sent twice in the group (a retry racing its original) is stored for the first sender only.
        Map<EventKey, Integer> owners = new LinkedHashMap<>();
        List<Stored> candidates = new ArrayList<>();
        for (int i = 0; i < batches.size(); i++) {
            Batch batch = batches.get(i);
            for (Heartbeat event : batch.events()) {
                if (owners.putIfAbsent(event.key(batch.tenantId()), i) == null) {
                    candidates.add(new Stored(batch.tenantId(), event));
                }
            }
        }
        int[] accepted = new int[batches.size()];
        if (candidates.isEmpty()) {
            return accepted;
        }
        Set<EventKey> inserted = insertEvents(con, candidates, retentions(con, owners.keySet()), careful);
        owners.forEach((key, batch) -> {
            if (inserted.contains(key)) {
                accepted[batch]++;
            }
        });
        List<Stored> fresh = candidates.stream().filter(s -> inserted.contains(s.event().key(s.tenantId()))).toList();
        Sums sums = new Sums();
        fresh.forEach(sums::add);
        // Only heartbeats that report a battery level take part (desktops usually report none).
        measureBatteryDrain(con, fresh.stream().filter(s -> s.event().battery() != null).toList(), sums);
        sums.write(con);
        recordFirstHeartbeats(con, fresh);
        return accepted;
    }

    /**
     * The arrival of each stream's first heartbeat, for the integration page. A node remembers the streams it has
     * written (or found written) once its transaction commits, so a stream costs one insert per node, not one per
     * heartbeat; sorted, so that two nodes inserting the same streams never wait on each other in a cycle.
     */
    private void recordFirstHeartbeats(Connection con, List<Stored> fresh) throws SQLException {
        Set<StreamKey> unseen = new TreeSet<>();
        for (Stored stored : fresh) {
            StreamKey stream = new StreamKey(stored.tenantId(), stored.event().streamId());
            if (streamsWithFirstHeartbeat.getIfPresent(stream) == null) {
                unseen.add(stream);
            }
        }
        if (unseen.isEmpty()) {
            return;
        }
        Object[][] columns = {unseen.stream().map(StreamKey::tenantId).toArray(),
                unseen.stream().map(StreamKey::streamId).toArray()};
        try (PreparedStatement insert = con.prepareStatement(INSERT_FIRST_HEARTBEATS)) {
            bind(con, insert, new String[] {"uuid", "uuid"}, columns);
            insert.executeUpdate();
        }
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                unseen.forEach(stream -> streamsWithFirstHeartbeat.put(stream, Boolean.TRUE));
            }
        });
    }

    private record StreamKey(UUID tenantId, UUID streamId) implements Comparable<StreamKey> {

        private static final Comparator<StreamKey> ORDER = Comparator.comparing(StreamKey::tenantId)
                .thenComparing(StreamKey::streamId);

        @Override
        public int compareTo(StreamKey other) {
            return ORDER.compare(this, other);
        }
    }

    /**
     * Each tenant's retention by event timestamp. A change applies to events timestamped after it by more than the
     * clock skew accepted (and a minute): every event stored before the change is timestamped before that, so an
     * event always maps to the partition it was first stored in, and its replays find it there.
     */
    private Map<UUID, Retention> retentions(Connection con, Set<EventKey> keys) throws SQLException {
        UUID[] tenants = keys.stream().map(EventKey::tenantId).distinct().toArray(UUID[]::new);
        Duration margin = maxClockSkew.plusMinutes(1);
        Map<UUID, Short> current = new HashMap<>();
        Map<UUID, List<RetentionChange>> changes = new HashMap<>();
        // Older changes cannot matter: events older than the oldest accepted are refused.
        try (PreparedStatement select = con.prepareStatement("""
                select t.id, t.telemetry_retention_days, c.changed_at, c.previous_days
                from tenants t left join telemetry_retention_changes c
                  on c.tenant_id = t.id and c.changed_at > now() - interval '7 days'
                where t.id = any(?::uuid[]) order by t.id, c.changed_at""")) {
            select.setArray(1, con.createArrayOf("uuid", tenants));
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    UUID tenant = rows.getObject(1, UUID.class);
                    current.put(tenant, rows.getShort(2));
                    OffsetDateTime changedAt = rows.getObject(3, OffsetDateTime.class);
                    if (changedAt != null) {
                        changes.computeIfAbsent(tenant, id -> new ArrayList<>())
                                .add(new RetentionChange(changedAt.toInstant().plus(margin), rows.getShort(4)));
                    }
                }
            }
        }
        Map<UUID, Retention> retention = new HashMap<>();
        current.forEach((tenant, days) -> retention.put(tenant,
                new Retention(days, changes.getOrDefault(tenant, List.of()))));
        return retention;
    }

    /** Events timestamped up to {@code until} keep {@code previousDays}. */
    private record RetentionChange(Instant until, short previousDays) {
    }

    /** A tenant's retention in days for an event by its timestamp; its changes, oldest first. */
    private record Retention(short current, List<RetentionChange> changes) {

        short at(Instant ts) {
            for (RetentionChange change : changes) {
                if (!ts.isAfter(change.until())) {
                    return change.previousDays();
                }
            }
            return current;
        }
    }

    /** Inserts the rows; the keys of those that were new (all of them, unless careful). */
    private Set<EventKey> insertEvents(Connection con, List<Stored> rows, Map<UUID, Retention> retention,
            boolean careful) throws SQLException {
        String receivedAt = Iso8601.appendUtcMillis(new StringBuilder(24), clock.instant()).toString();
        StringBuilder csv = new StringBuilder(rows.size() * 340);
        try {
            for (Stored row : rows) {
                Heartbeat e = row.event();
                Retention tenant = retention.get(row.tenantId());
                CSVFormat.POSTGRESQL_CSV.printRecord(csv, row.tenantId(), tenant == null ? 30 : tenant.at(e.ts()),
                        e.eventId(), Iso8601.appendUtcMillis(new StringBuilder(24), e.ts()), receivedAt, e.sessionId(),
                        e.streamId(), e.rendition(), e.cohort(), e.intervalMs(), e.cdnBytes(), e.p2pBytesDown(),
                        e.p2pBytesUp(), e.peers(), e.playMs(), e.rebufferMs(), e.latencyMs(), e.battery(),
                        e.charging(), e.network(), e.device(), e.nat(), e.player(), e.sdk(),
                        "{" + String.join(",", e.p2pReasons()) + "}");
            }
        }
        catch (IOException e) {
            throw new UncheckedIOException("a StringBuilder does not fail", e);
        }
        try (Statement statement = con.createStatement()) {
            statement.execute(CREATE_STAGE);
        }
        copy(con, COPY_STAGE, csv);
        if (!careful) {
            try (Statement statement = con.createStatement()) {
                statement.executeUpdate(MOVE_STAGE);
            }
            Set<EventKey> inserted = HashSet.newHashSet(rows.size());
            rows.forEach(row -> inserted.add(row.event().key(row.tenantId())));
            return inserted;
        }
        Set<EventKey> inserted = new HashSet<>();
        try (Statement statement = con.createStatement(); ResultSet keys = statement.executeQuery(MOVE_STAGE_NEW)) {
            while (keys.next()) {
                inserted.add(new EventKey(keys.getObject(1, UUID.class), keys.getObject(2, UUID.class),
                        keys.getObject(3, OffsetDateTime.class).toInstant()));
            }
        }
        return inserted;
    }

    private static void copy(Connection con, String sql, StringBuilder csv) throws SQLException {
        try {
            // Every field is validated ASCII, so the text's bytes go out as they are, with no encoder in between.
            con.unwrap(PGConnection.class).getCopyAPI().copyIn(sql,
                    new ByteArrayInputStream(csv.toString().getBytes(StandardCharsets.UTF_8)));
        }
        catch (IOException e) {
            throw new SQLException("could not copy telemetry rows", e);
        }
    }

    /**
     * Battery drain is measured between consecutive heartbeats of a session that were both unplugged
     * ({@code charging: false}), from the session's last stored heartbeat with a battery level onwards. A
     * heartbeat older than the last one stored (a late one) is counted everywhere else but measures no drain.
     */
    private static void measureBatteryDrain(Connection con, List<Stored> fresh, Sums sums) throws SQLException {
        if (fresh.isEmpty()) {
            return;
        }
        Map<SessionKey, List<Stored>> bySession = new TreeMap<>();
        for (Stored stored : fresh) {
            bySession.computeIfAbsent(new SessionKey(stored.tenantId(), stored.event().sessionId()),
                    key -> new ArrayList<>()).add(stored);
        }
        Map<SessionKey, Last> last = new HashMap<>();
        try (PreparedStatement lock = con.prepareStatement(LOCK_SESSIONS)) {
            lock.setArray(1, con.createArrayOf("uuid", bySession.keySet().stream().map(SessionKey::tenantId).toArray()));
            lock.setArray(2, con.createArrayOf("text", bySession.keySet().stream().map(SessionKey::sessionId).toArray()));
            try (ResultSet rows = lock.executeQuery()) {
                while (rows.next()) {
                    Float battery = rows.getObject(4) == null ? null : rows.getFloat(4);
                    Boolean charging = rows.getObject(5) == null ? null : rows.getBoolean(5);
                    last.put(new SessionKey(rows.getObject(1, UUID.class), rows.getString(2)),
                            new Last(rows.getObject(3, OffsetDateTime.class).toInstant(), battery, charging));
                }
            }
        }
        List<Object[]> updates = new ArrayList<>();
        for (Map.Entry<SessionKey, List<Stored>> session : bySession.entrySet()) {
            List<Stored> events = new ArrayList<>(session.getValue());
            events.sort(Comparator.comparing(s -> s.event().ts()));
            Last previous = last.get(session.getKey());
            Last newest = previous;
            for (Stored stored : events) {
                Heartbeat e = stored.event();
                if (previous != null && !e.ts().isAfter(previous.ts())) {
                    continue;
                }
                if (previous != null) {
                    long gapMs = previous.ts().until(e.ts(), ChronoUnit.MILLIS);
                    // Drain per hour of playback: a stretch the player spent mostly paused would charge the
                    // screen's drain to playback, so only stretches it reports as playing (or stalled) count.
                    boolean playing = e.playMs() + e.rebufferMs() >= PLAYING_SHARE * gapMs;
                    if (gapMs <= 2L * e.intervalMs() + CONSECUTIVE_SLACK_MS && playing
                            && Boolean.FALSE.equals(previous.charging())
                            && Boolean.FALSE.equals(e.charging()) && previous.battery() != null
                            && e.battery() <= previous.battery()) {
                        sums.addDrain(stored, previous.battery() - e.battery(), gapMs);
                    }
                }
                previous = new Last(e.ts(), e.battery(), e.charging());
                newest = previous;
            }
            if (newest != null) {
                updates.add(new Object[] {session.getKey().tenantId(), session.getKey().sessionId(),
                    newest.ts().toEpochMilli(), newest.battery(), newest.charging()});
            }
        }
        Object[][] columns = new Object[5][updates.size()];
        for (int i = 0; i < updates.size(); i++) {
            for (int c = 0; c < 5; c++) {
                columns[c][i] = updates.get(i)[c];
            }
        }
        try (PreparedStatement upsert = con.prepareStatement(UPSERT_SESSIONS)) {
            bind(con, upsert, new String[] {"uuid", "text", "int8", "float4", "bool"}, columns);
            upsert.executeUpdate();
        }
    }

    static void bind(Connection con, PreparedStatement statement, String[] types, Object[][] columns)
            throws SQLException {
        for (int c = 0; c < types.length; c++) {
            Array array = con.createArrayOf(types[c], columns[c]);
            statement.setArray(c + 1, array);
        }
    }

    private record Stored(UUID tenantId, Heartbeat event) {
    }

    private record SessionKey(UUID tenantId, String sessionId) implements Comparable<SessionKey> {

        // Sessions are locked in this order, so two writers never wait on each other in a cycle.
        @Override
        public int compareTo(SessionKey other) {
            int byTenant = tenantId.compareTo(other.tenantId);
            return byTenant != 0 ? byTenant : sessionId.compareTo(other.sessionId);
        }
    }

    private record Last(Instant ts, Float battery, Boolean charging) {
    }

    /** The minute, hour and reason sums of one group, written in key order (no lock cycles between nodes). */
    private static final class Sums {

        private final Map<SumsTable, Map<Cell, long[]>> sums = new EnumMap<>(SumsTable.class);

        private final Map<SumsTable, Map<Cell, double[]>> drain = new EnumMap<>(SumsTable.class);

        private final Map<ReasonCell, long[]> reasons = new HashMap<>();

        Sums() {
            for (SumsTable rollup : SumsTable.values()) {
                sums.put(rollup, new HashMap<>());
                drain.put(rollup, new HashMap<>());
            }
        }

        void add(Stored stored) {
            Heartbeat e = stored.event();
            long[] values = {1, e.intervalMs(), e.cdnBytes(), e.p2pBytesDown(), e.p2pBytesUp(), e.playMs(),
                e.rebufferMs(), e.latencyMs() == null ? 0 : e.latencyMs(), e.latencyMs() == null ? 0 : 1};
            for (SumsTable rollup : SumsTable.values()) {
                long[] sum = sums.get(rollup).computeIfAbsent(cell(stored, rollup), key -> new long[values.length]);
                for (int i = 0; i < values.length; i++) {
                    sum[i] += values[i];
                }
            }
            long hour = e.ts().truncatedTo(ChronoUnit.HOURS).toEpochMilli();
            for (String reason : e.p2pReasons()) {
                long[] sum = reasons.computeIfAbsent(new ReasonCell(stored.tenantId(), hour, e.streamId(), e.device(),
                        e.network(), e.nat(), reason), key -> new long[2]);
                sum[0]++;
                sum[1] += e.intervalMs();
            }
        }

        void addDrain(Stored stored, double level, long ms) {
            for (SumsTable rollup : SumsTable.values()) {
                double[] sum = drain.get(rollup).computeIfAbsent(cell(stored, rollup), key -> new double[2]);
                sum[0] += level;
                sum[1] += ms;
            }
        }

        /** Tables in one order and rows in key order, so writers on any node never wait on each other in a cycle. */
        void write(Connection con) throws SQLException {
            for (SumsTable rollup : SumsTable.values()) {
                writeSums(con, rollup, sums.get(rollup), drain.get(rollup));
            }
            if (reasons.isEmpty()) {
                return;
            }
            Object[][] columns = new Object[9][reasons.size()];
            int i = 0;
            for (Map.Entry<ReasonCell, long[]> entry : new TreeMap<>(reasons).entrySet()) {
                ReasonCell k = entry.getKey();
                Object[] row = {k.tenantId(), k.bucket(), k.streamId(), k.device(), k.network(), k.nat(), k.reason(),
                    entry.getValue()[0], entry.getValue()[1]};
                for (int c = 0; c < row.length; c++) {
                    columns[c][i] = row[c];
                }
                i++;
            }
            try (PreparedStatement lock = con.prepareStatement(LOCK_TENANT_REASONS)) {
                bind(con, lock, new String[] {"uuid", "int8", "text"}, new Object[][] {columns[0], columns[1],
                    columns[6]});
                lock.execute();
            }
            try (PreparedStatement upsert = con.prepareStatement(UPSERT_REASONS)) {
                bind(con, upsert, new String[] {"uuid", "int8", "uuid", "text", "text", "text", "text", "int8", "int8"},
                        columns);
                upsert.executeUpdate();
            }
        }

        private static void writeSums(Connection con, SumsTable rollup, Map<Cell, long[]> sums, Map<Cell, double[]> drain)
                throws SQLException {
            if (sums.isEmpty()) {
                return;
            }
            Object[][] columns = new Object[rollup.parameterTypes().length][sums.size()];
            int i = 0;
            for (Map.Entry<Cell, long[]> entry : new TreeMap<>(sums).entrySet()) {
                Cell k = entry.getKey();
                long[] v = entry.getValue();
                double[] d = drain.getOrDefault(k, new double[2]);
                int c = 0;
                columns[c++][i] = k.tenantId();
                columns[c++][i] = k.bucket();
                for (Dimension dimension : rollup.dimensions()) {
                    columns[c++][i] = k.value(dimension);
                }
                for (long value : v) {
                    columns[c++][i] = value;
                }
                columns[c++][i] = d[0];
                columns[c][i] = (long) d[1];
                i++;
            }
            try (PreparedStatement upsert = con.prepareStatement(rollup.upsert())) {
                bind(con, upsert, rollup.parameterTypes(), columns);
                upsert.executeUpdate();
            }
        }

        /** The event's row in the rollup: the dimensions the rollup does not keep are left blank. */
        private static Cell cell(Stored stored, SumsTable rollup) {
            Heartbeat e = stored.event();
            return new Cell(stored.tenantId(), e.ts().truncatedTo(rollup.unit()).toEpochMilli(),
                    rollup.keeps(Dimension.STREAM) ? e.streamId() : NO_STREAM,
                    rollup.keeps(Dimension.RENDITION) ? e.rendition() : "",
                    rollup.keeps(Dimension.COHORT) ? e.cohort() : "",
                    rollup.keeps(Dimension.DEVICE) ? e.device() : "",
                    rollup.keeps(Dimension.NETWORK) ? e.network() : "",
                    rollup.keeps(Dimension.NAT) ? e.nat() : "");
        }
    }

    private static final UUID NO_STREAM = new UUID(0, 0);

    private record Cell(UUID tenantId, long bucket, UUID streamId, String rendition, String cohort, String device,
            String network, String nat) implements Comparable<Cell> {

        private static final Comparator<Cell> ORDER = Comparator.comparing(Cell::tenantId).thenComparingLong(Cell::bucket)
                .thenComparing(Cell::streamId).thenComparing(Cell::rendition).thenComparing(Cell::cohort)
                .thenComparing(Cell::device).thenComparing(Cell::network).thenComparing(Cell::nat);

        Object value(Dimension dimension) {
            return switch (dimension) {
                case STREAM -> streamId;
                case RENDITION -> rendition;
                case COHORT -> cohort;
                case DEVICE -> device;
                case NETWORK -> network;
                case NAT -> nat;
            };
        }

        @Override
        public int compareTo(Cell other) {
            return ORDER.compare(this, other);
        }
    }

    private record ReasonCell(UUID tenantId, long bucket, UUID streamId, String device, String network, String nat,
            String reason) implements Comparable<ReasonCell> {

        private static final Comparator<ReasonCell> ORDER = Comparator.comparing(ReasonCell::tenantId)
                .thenComparingLong(ReasonCell::bucket).thenComparing(ReasonCell::streamId)
                .thenComparing(ReasonCell::device).thenComparing(ReasonCell::network).thenComparing(ReasonCell::nat)
                .thenComparing(ReasonCell::reason);

        @Override
        public int compareTo(ReasonCell other) {
            return ORDER.compare(this, other);
        }
    }
}
