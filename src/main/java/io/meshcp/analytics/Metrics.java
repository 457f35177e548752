package io.meshcp.analytics;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * The metrics of one point or total, computed from sums exactly as docs/analytics.md defines them.
 * Ratios are null when their denominator is zero (nothing to measure), never a made-up zero.
 *
 * @param offload p2pBytesDown / (p2pBytesDown + cdnBytes)
 * @param bytesSaved p2pBytesDown
 * @param moneySaved bytesSaved in GB (10^9 bytes) times the tenant's CDN price per GB
 * @param viewers the average number of concurrent viewers: playback time covered / the period's length
 * @param rebufferRatio rebufferMs / (playMs + rebufferMs)
 * @param batteryDrainPerHour battery level lost per hour of unplugged playback (0.1 = 10% per hour)
 * @param avgLatencyMs the mean live latency reported
 * @param viewerHours playback hours covered, the weight behind every ratio here
 */
public record Metrics(long events, long cdnBytes, long p2pBytesDown, long p2pBytesUp, Double offload, long bytesSaved,
        BigDecimal moneySaved, Double viewers, Double rebufferRatio, Double batteryDrainPerHour, Double avgLatencyMs,
        double viewerHours) {

    static Metrics of(Sums sums, long periodMs, BigDecimal pricePerGb) {
        long delivered = sums.p2pBytesDown() + sums.cdnBytes();
        long watched = sums.playMs() + sums.rebufferMs();
        return new Metrics(sums.events(), sums.cdnBytes(), sums.p2pBytesDown(), sums.p2pBytesUp(),
                delivered == 0 ? null : (double) sums.p2pBytesDown() / delivered, sums.p2pBytesDown(),
                BigDecimal.valueOf(sums.p2pBytesDown()).movePointLeft(9).multiply(pricePerGb)
                        .setScale(4, RoundingMode.HALF_UP),
                periodMs <= 0 ? null : (double) sums.viewerMs() / periodMs,
                watched == 0 ? null : (double) sums.rebufferMs() / watched,
                sums.batteryMs() == 0 ? null : sums.batteryDrain() / sums.batteryMs() * 3_600_000,
                sums.latencyEvents() == 0 ? null : (double) sums.latencyMsSum() / sums.latencyEvents(),
                sums.viewerMs() / 3_600_000.0);
    }

    /** The raw sums a metric is computed from. */
    record Sums(long events, long viewerMs, long cdnBytes, long p2pBytesDown, long p2pBytesUp, long playMs,
            long rebufferMs, long latencyMsSum, long latencyEvents, double batteryDrain, long batteryMs) {

        static final Sums NONE = new Sums(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

        Sums plus(Sums other) {
            return new Sums(events + other.events, viewerMs + other.viewerMs, cdnBytes + other.cdnBytes,
                    p2pBytesDown + other.p2pBytesDown, p2pBytesUp + other.p2pBytesUp, playMs + other.playMs,
                    rebufferMs + other.rebufferMs, latencyMsSum + other.latencyMsSum,
                    latencyEvents + other.latencyEvents, batteryDrain + other.batteryDrain,
                    batteryMs + other.batteryMs);
        }
    }
}
