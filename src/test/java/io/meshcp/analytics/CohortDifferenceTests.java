package io.meshcp.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/** The interval's arithmetic, against a direct computation and in repeated experiments with a known truth. */
class CohortDifferenceTests {

    @Test
    void theRatioAndItsVarianceFollowTheDeltaMethodOverSessions() {
        double[] x = {10_000, 20_000, 5_000, 40_000};
        double[] y = {500, 400, 1_000, 800};
        CohortDifference.Sessions sessions = sums(x, y);
        double ratio = (500 + 400 + 1_000 + 800) / (10_000.0 + 20_000 + 5_000 + 40_000);
        double residuals = 0;
        for (int i = 0; i < x.length; i++) {
            residuals += Math.pow(y[i] - ratio * x[i], 2);
        }
        double meanX = (10_000.0 + 20_000 + 5_000 + 40_000) / 4;

        assertThat(sessions.ratio()).isCloseTo(ratio, within(1e-15));
        assertThat(sessions.variance()).isCloseTo(residuals / 3 / (4 * meanX * meanX), within(1e-15));
    }

    @Test
    void aboutNinetyFivePercentOfIntervalsHoldTheTrueDifference() {
        // 2,000 experiments of 200 sessions per cohort: watch times of 1-30 minutes, p2p stalling 5% of the time on
        // average and the holdout 4%, each session noisy. A fixed seed keeps the count the same on every run.
        SplittableRandom random = new SplittableRandom(42);
        int held = 0;
        int experiments = 2_000;
        for (int e = 0; e < experiments; e++) {
            CohortDifference difference = CohortDifference.of(cohort(random, 200, 0.05), cohort(random, 200, 0.04), 1);
            if (difference.low() <= 0.01 && 0.01 <= difference.high()) {
                held++;
            }
        }
        assertThat((double) held / experiments).isBetween(0.93, 0.97);
    }

    @Test
    void belowThirtySessionsInEitherCohortThereIsNoIntervalAndAboveItAVerdict() {
        SplittableRandom random = new SplittableRandom(7);
        CohortDifference small = CohortDifference.of(cohort(random, 200, 0.10), cohort(random, 29, 0.01), 1);
        assertThat(small.verdict()).isEqualTo(CohortDifference.Verdict.TOO_FEW_SESSIONS);
        assertThat(small.low()).isNull();
        assertThat(small.difference()).isPositive();

        CohortDifference worse = CohortDifference.of(cohort(random, 200, 0.10), cohort(random, 200, 0.01), 1);
        assertThat(worse.verdict()).isEqualTo(CohortDifference.Verdict.P2P_WORSE);
        CohortDifference better = CohortDifference.of(cohort(random, 200, 0.01), cohort(random, 200, 0.10), 1);
        assertThat(better.verdict()).isEqualTo(CohortDifference.Verdict.P2P_BETTER);
        CohortDifference none = CohortDifference.of(CohortDifference.Sessions.NONE, cohort(random, 200, 0.10), 1);
        assertThat(none.p2p()).isNull();
        assertThat(none.verdict()).isEqualTo(CohortDifference.Verdict.TOO_FEW_SESSIONS);
    }

    /** Sessions whose stall share scatters around {@code share}: watch time x in ms, stalled time y. */
    private static CohortDifference.Sessions cohort(SplittableRandom random, int n, double share) {
        double[] x = new double[n];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = random.nextDouble(60_000, 1_800_000);
            y[i] = x[i] * Math.max(0, share * random.nextDouble(0, 2));
        }
        return sums(x, y);
    }

    private static CohortDifference.Sessions sums(double[] x, double[] y) {
        double sx = 0;
        double sy = 0;
        double sxx = 0;
        double syy = 0;
        double sxy = 0;
        for (int i = 0; i < x.length; i++) {
            sx += x[i];
            sy += y[i];
            sxx += x[i] * x[i];
            syy += y[i] * y[i];
            sxy += x[i] * y[i];
        }
        return new CohortDifference.Sessions(x.length, sx, sy, sxx, syy, sxy);
    }
}
