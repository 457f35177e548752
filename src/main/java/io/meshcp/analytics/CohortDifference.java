package io.meshcp.analytics;

/**
 * The p2p cohort against the holdout for one ratio metric (rebuffer ratio, battery drain per hour), with a 95%
 * confidence interval of the difference computed from per-session values.
 * <p>
 * Each cohort's figure is a ratio of sums over its sessions (rebuffer time over watch time, battery lost over
 * unplugged playback hours), the same figure the rest of analytics shows. Its variance comes from the spread of the
 * sessions around it (the delta method: Var(R) ≈ Σ(yᵢ − R·xᵢ)² / ((n − 1)·n·x̄²)), so a few long sessions weigh as
 * much as they should and heartbeats of one session are never taken for independent samples. The difference's
 * interval is p2p − holdout ± 1.96·√(Var₁ + Var₂).
 *
 * @param p2p the p2p cohort's figure, null without sessions
 * @param holdout the holdout cohort's figure, null without sessions
 * @param difference p2p − holdout, null when either is unknown
 * @param low the interval's lower end (null with too few sessions)
 * @param high the interval's upper end (null with too few sessions)
 * @param p2pSessions the p2p sessions that measured this metric
 * @param holdoutSessions the holdout sessions that measured this metric
 * @param verdict what the interval says
 */
public record CohortDifference(Double p2p, Double holdout, Double difference, Double low, Double high,
        long p2pSessions, long holdoutSessions, Verdict verdict) {

    /** Fewer sessions than this in either cohort and the interval is not given: it would mislead. */
    public static final int MIN_SESSIONS = 30;

    private static final double Z_95 = 1.959964;

    /** What the interval says about p2p, for this metric (where more is worse: rebuffering, battery drain). */
    public enum Verdict {
        /** Either cohort has fewer than {@link #MIN_SESSIONS} sessions measuring it: too small to tell. */
        TOO_FEW_SESSIONS,
        /** The interval includes zero: no difference can be told apart from chance. */
        NO_CLEAR_DIFFERENCE,
        /** The whole interval is above zero: p2p is worse. */
        P2P_WORSE,
        /** The whole interval is below zero: p2p is better. */
        P2P_BETTER
    }

    /**
     * Per-session sums of one cohort: n sessions with x (the denominator: watch time, unplugged hours) and y (the
     * numerator: rebuffer time, battery lost) per session, as Σx, Σy, Σx², Σy², Σxy.
     */
    record Sessions(long n, double sumX, double sumY, double sumXX, double sumYY, double sumXY) {

        static final Sessions NONE = new Sessions(0, 0, 0, 0, 0, 0);

        Double ratio() {
            return n == 0 || sumX <= 0 ? null : sumY / sumX;
        }

        /** The variance of the ratio (delta method), null below two sessions. */
        Double variance() {
            Double r = ratio();
            if (r == null || n < 2) {
                return null;
            }
            double residuals = Math.max(0, sumYY - 2 * r * sumXY + r * r * sumXX);
            double meanX = sumX / n;
            return residuals / (n - 1) / (n * meanX * meanX);
        }
    }

    static CohortDifference of(Sessions p2p, Sessions holdout, double scale) {
        Double a = p2p.ratio();
        Double b = holdout.ratio();
        Double difference = a == null || b == null ? null : (a - b) * scale;
        boolean enough = p2p.n() >= MIN_SESSIONS && holdout.n() >= MIN_SESSIONS && difference != null
                && p2p.variance() != null && holdout.variance() != null;
        if (!enough) {
            return new CohortDifference(a == null ? null : a * scale, b == null ? null : b * scale, difference, null,
                    null, p2p.n(), holdout.n(), Verdict.TOO_FEW_SESSIONS);
        }
        double margin = Z_95 * Math.sqrt(p2p.variance() + holdout.variance()) * scale;
        double low = difference - margin;
        double high = difference + margin;
        Verdict verdict = low > 0 ? Verdict.P2P_WORSE : high < 0 ? Verdict.P2P_BETTER : Verdict.NO_CLEAR_DIFFERENCE;
        return new CohortDifference(a * scale, b * scale, difference, low, high, p2p.n(), holdout.n(), verdict);
    }
}
