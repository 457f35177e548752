package io.meshcp.telemetry;

import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The sums tables and the dimensions each keeps (db/migration V3, V5 and V6). Every heartbeat stored adds to
 * one row of each, in the same transaction, so they all agree with the raw events; the coarser ones let
 * a query over a month read thousands of rows instead of millions.
 */
enum Rollup {
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

    /** The dimensions of the full sums, in their key order. */
    enum Dimension {
        STREAM("stream_id", "uuid"), RENDITION("rendition", "text"), COHORT("cohort", "text"),
        DEVICE("device", "text"), NETWORK("network", "text"), NAT("nat", "text");

        final String column;

        final String sqlType;

        Dimension(String column, String sqlType) {
            this.column = column;
            this.sqlType = sqlType;
        }
    }

    /** The metric columns every sums table has, in order (a holder: enum constants cannot read their own statics). */
    static final class Metrics {

        static final List<String> NAMES = List.of("events", "viewer_ms", "cdn_bytes", "p2p_bytes_down", "p2p_bytes_up",
                "play_ms", "rebuffer_ms", "latency_ms_sum", "latency_events", "battery_drain", "battery_ms");

        static final List<String> TYPES = List.of("int8", "int8", "int8", "int8", "int8", "int8", "int8", "int8",
                "int8", "float8", "int8");

        private Metrics() {
        }
    }

    final String table;

    final ChronoUnit unit;

    final List<Dimension> dimensions;

    /** Adds a group's sums: one row per key, added to what is there. */
    final String upsert;

    /** The array types of the upsert's parameters: tenant, bucket (epoch ms), each dimension, each metric. */
    final String[] parameterTypes;

    Rollup(String table, ChronoUnit unit, Dimension... dimensions) {
        this.table = table;
        this.unit = unit;
        this.dimensions = List.of(dimensions);
        List<String> keys = new ArrayList<>(List.of("tenant_id", "bucket"));
        this.dimensions.forEach(d -> keys.add(d.column));
        List<String> types = new ArrayList<>(List.of("uuid", "int8"));
        this.dimensions.forEach(d -> types.add(d.sqlType));
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

    boolean keeps(Dimension dimension) {
        return dimensions.contains(dimension);
    }
}
