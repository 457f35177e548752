package io.meshcp.telemetry;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.springframework.modulith.NamedInterface;

/**
 * The sums tables and the dimensions each keeps (db/migration V3, V5 and V6): what telemetry publishes for
 * analytics to read. Every heartbeat stored adds to one row of each, in the same transaction, so they all agree
 * with the raw events; the coarser ones let a query over a month read thousands of rows instead of millions.
 */
@NamedInterface("sums")
public enum SumsTable {
    MINUTE("telemetry_minute", ChronoUnit.MINUTES, Dimension.values()),
    HOUR("telemetry_hour", ChronoUnit.HOURS, Dimension.values()),
    MINUTE_STREAM("telemetry_minute_stream", ChronoUnit.MINUTES, Dimension.STREAM),
    HOUR_STREAM("telemetry_hour_stream", ChronoUnit.HOURS, Dimension.STREAM, Dimension.RENDITION, Dimension.COHORT),
    MINUTE_TENANT("telemetry_minute_tenant", ChronoUnit.MINUTES),
    MINUTE_AUDIENCE("telemetry_minute_audience", ChronoUnit.MINUTES, Dimension.COHORT, Dimension.DEVICE,
            Dimension.NETWORK),
    HOUR_AUDIENCE("telemetry_hour_audience", ChronoUnit.HOURS, Dimension.COHORT, Dimension.DEVICE, Dimension.NETWORK,
            Dimension.NAT),
    HOUR_TOTAL("telemetry_hour_total", ChronoUnit.HOURS, Dimension.COHORT);

    /** The metric columns every sums table has, in order (a holder: enum constants cannot read their own statics). */
    static final class Metrics {

        static final List<String> NAMES = List.of("events", "viewer_ms", "cdn_bytes", "p2p_bytes_down", "p2p_bytes_up",
                "play_ms", "rebuffer_ms", "latency_ms_sum", "latency_events", "battery_drain", "battery_ms");

        static final List<String> TYPES = List.of("int8", "int8", "int8", "int8", "int8", "int8", "int8", "int8",
                "int8", "float8", "int8");

        private Metrics() {
        }
    }

    private final String table;

    private final ChronoUnit unit;

    private final List<Dimension> dimensions;

    private final String upsert;

    private final String[] parameterTypes;

    SumsTable(String table, ChronoUnit unit, Dimension... dimensions) {
        this.table = table;
        this.unit = unit;
        this.dimensions = List.of(dimensions);
        List<String> keys = new ArrayList<>(List.of("tenant_id", "bucket"));
        this.dimensions.forEach(d -> keys.add(d.column()));
        List<String> types = new ArrayList<>(List.of("uuid", "int8"));
        this.dimensions.forEach(d -> types.add(d.sqlType()));
        types.addAll(Metrics.TYPES);
        this.parameterTypes = types.toArray(String[]::new);
        List<String> columns = new ArrayList<>(keys);
        columns.addAll(Metrics.NAMES);
        List<String> values = new ArrayList<>();
        List<String> arrays = new ArrayList<>();
        for (int i = 0; i < columns.size(); i++) {
            String alias = "c" + i;
            values.add(columns.get(i).equals("bucket") ? "timestamptz 'epoch' + " + alias + " * interval '1 millisecond'"
                    : alias);
            arrays.add("?::" + parameterTypes[i] + "[]");
        }
        String aliases = IntStream.range(0, columns.size()).mapToObj(i -> "c" + i)
                .collect(Collectors.joining(", "));
        this.upsert = "insert into " + table + " as m (" + String.join(", ", columns) + ") select "
                + String.join(", ", values) + " from unnest(" + String.join(", ", arrays) + ") as u(" + aliases
                + ") on conflict (" + String.join(", ", keys) + ") do update set "
                + Metrics.NAMES.stream().map(m -> m + " = m." + m + " + excluded." + m)
                        .collect(Collectors.joining(", "));
    }

    /** The metric columns every sums table has, in order. */
    public static List<String> metrics() {
        return Metrics.NAMES;
    }

    /** The tables of one resolution, coarsest first: a query reads the first that keeps every dimension it needs. */
    public static List<SumsTable> coarsestFirst(ChronoUnit unit) {
        return Arrays.stream(values()).filter(table -> table.unit == unit)
                .sorted(Comparator.comparingInt(table -> table.dimensions.size())).toList();
    }

    /** The coarsest table of this resolution that keeps every dimension needed. */
    public static SumsTable coarsestKeeping(ChronoUnit unit, Set<Dimension> needs) {
        return coarsestFirst(unit).stream().filter(table -> table.dimensions.containsAll(needs)).findFirst()
                .orElseThrow();
    }

    /** How long sums of this resolution are kept: minute sums serve the recent past, hour sums a year. */
    public static Duration retention(ChronoUnit unit) {
        return unit == ChronoUnit.MINUTES ? Duration.ofDays(35) : Duration.ofDays(400);
    }

    public String table() {
        return table;
    }

    public ChronoUnit unit() {
        return unit;
    }

    /** The dimensions this table keeps, in its key order. */
    public List<Dimension> dimensions() {
        return dimensions;
    }

    public boolean keeps(Dimension dimension) {
        return dimensions.contains(dimension);
    }

    /**
     * Kept by exactly the dimensions a query filters (each to one value) or breaks down by: then the table holds one
     * row per bucket and group, and its rows need no grouping.
     */
    public boolean oneRowPerBucket(Set<Dimension> needs) {
        return dimensions.size() == needs.size() && dimensions.containsAll(needs);
    }

    /** Adds a group's sums: one row per key, added to what is there. */
    String upsert() {
        return upsert;
    }

    /** The array types of the upsert's parameters: tenant, bucket (epoch ms), each dimension, each metric. */
    String[] parameterTypes() {
        return parameterTypes;
    }
}
