package io.meshcp.analytics;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.QuoteMode;

/**
 * The analytics answers as CSV, for spreadsheets and BI tools: one row per point, cohort, reason, band or live
 * event, with the metrics under the same names as in docs/analytics.md, in snake case. An empty cell is a ratio
 * with nothing to measure (null in JSON). Text is quoted as RFC 4180 says (by Commons CSV), and text a
 * spreadsheet would run as a formula is defused.
 */
final class AnalyticsCsv {

    private static final String METRICS = "events,cdn_bytes,p2p_bytes_down,p2p_bytes_up,offload,bytes_saved,"
            + "money_saved,viewers,rebuffer_ratio,battery_drain_per_hour,avg_latency_ms,viewer_hours";

    private static final CSVFormat MINIMAL = CSVFormat.RFC4180;

    private static final CSVFormat QUOTED = CSVFormat.RFC4180.builder().setQuoteMode(QuoteMode.ALL).get();

    private AnalyticsCsv() {
    }

    static String timeseries(List<Analytics.Point> points) {
        StringBuilder csv = new StringBuilder("t,group," + METRICS + "\n");
        for (Analytics.Point point : points) {
            cells(csv, point.t(), point.group()).append(',');
            metrics(csv, point.metrics()).append('\n');
        }
        return csv.toString();
    }

    /**
     * The whole range first (scope {@code all}, with its peak), then each cohort; the last column names the currency
     * money saved is in, the organisation's.
     */
    static String summary(Analytics.Summary summary) {
        StringBuilder csv = new StringBuilder("scope,peak_viewers," + METRICS + ",currency\n");
        cells(csv, "all", summary.peakViewers()).append(',');
        metrics(csv, summary.total()).append(',');
        cells(csv, summary.currency()).append('\n');
        for (Map.Entry<String, Metrics> cohort : summary.cohorts().entrySet()) {
            cells(csv, cohort.getKey(), null).append(',');
            metrics(csv, cohort.getValue()).append(',');
            cells(csv, summary.currency()).append('\n');
        }
        return csv.toString();
    }

    static String ineligibility(List<Analytics.ReasonShare> reasons) {
        StringBuilder csv = new StringBuilder("reason,viewer_hours,share\n");
        reasons.forEach(reason -> cells(csv, reason.reason(), reason.viewerHours(), reason.share()).append('\n'));
        return csv.toString();
    }

    static String concurrency(List<Analytics.ConcurrencyBand> bands) {
        StringBuilder csv = new StringBuilder("min_viewers,max_viewers,offload,stream_minutes,viewer_hours\n");
        bands.forEach(band -> cells(csv, band.minViewers(), band.maxViewers(), band.offload(), band.streamMinutes(),
                band.viewerHours()).append('\n'));
        return csv.toString();
    }

    /** One row per event: its window's metrics, then those of as long a stretch before it ({@code before_}). */
    static String liveEvents(List<Analytics.LiveEventReport> reports) {
        StringBuilder csv = new StringBuilder("event_id,stream_id,name,starts_at,ends_at,latency_budget_ms,"
                + "peak_viewers," + METRICS + "," + METRICS.replaceAll("([a-z_0-9]+)", "before_$1") + "\n");
        for (Analytics.LiveEventReport report : reports) {
            cells(csv, report.eventId(), report.streamId(), report.name(), report.startsAt(), report.endsAt(),
                    report.latencyBudgetMs(), report.peakViewers()).append(',');
            metrics(csv, report.during()).append(',');
            metrics(csv, report.before()).append('\n');
        }
        return csv.toString();
    }

    private static StringBuilder metrics(StringBuilder csv, Metrics m) {
        return cells(csv, m.events(), m.cdnBytes(), m.p2pBytesDown(), m.p2pBytesUp(), m.offload(), m.bytesSaved(),
                m.moneySaved().toPlainString(), m.viewers(), m.rebufferRatio(), m.batteryDrainPerHour(),
                m.avgLatencyMs(), m.viewerHours());
    }

    /** Appends the values as cells, separated by commas. */
    private static StringBuilder cells(StringBuilder csv, Object... values) {
        try {
            for (int i = 0; i < values.length; i++) {
                Object value = values[i] instanceof String text ? defused(text) : values[i];
                // The library quotes what RFC 4180 needs quoted; a semicolon is quoted too, for the spreadsheets
                // that split on it in many locales.
                boolean semicolon = value instanceof String text && text.indexOf(';') >= 0;
                (semicolon ? QUOTED : MINIMAL).print(value, csv, i == 0);
            }
        }
        catch (IOException e) {
            throw new UncheckedIOException("a StringBuilder does not fail", e);
        }
        return csv;
    }

    /**
     * Text whose first visible character begins a formula gets a leading apostrophe, so a spreadsheet shows it
     * instead of running it (OWASP's advice on CSV injection); numbers are left as they are.
     */
    private static String defused(String text) {
        String visible = text.stripLeading();
        boolean formula = !visible.isEmpty() && "=+-@".indexOf(visible.charAt(0)) >= 0;
        return formula || text.startsWith("\t") || text.startsWith("\r") ? "'" + text : text;
    }
}
