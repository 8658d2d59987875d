package io.rinpoche.deploy.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class VerdictTest {

    private static final Thresholds LIMITS = new Thresholds(100, 0.05, 1.5, Duration.ofMillis(100));
    private static final EdgeFigures BASELINE = new EdgeFigures(600, 5000, 10, 0.080);

    @Test
    void aVersionAsGoodAsTheOldOnePassesWithItsFigures() {
        Verdict verdict = Verdict.judge(BASELINE, new EdgeFigures(120, 1000, 3, 0.090), LIMITS);

        assertThat(verdict.kind()).isEqualTo(Verdict.Kind.PASSED);
        assertThat(verdict.text()).isEqualTo("analysis passed: after the deploy (120 s): 5xx 0.3 % of 1000 requests,"
                + " p95 0.090 s; before (600 s): 5xx 0.2 % of 5000 requests, p95 0.080 s");
    }

    @Test
    void aRiseOfTheErrorShareAboveTheThresholdRollsBack() {
        Verdict verdict = Verdict.judge(BASELINE, new EdgeFigures(120, 1000, 200, 0.080), LIMITS);

        assertThat(verdict.kind()).isEqualTo(Verdict.Kind.ROLL_BACK);
        assertThat(verdict.kind().tag()).isEqualTo("rolled_back");
        assertThat(verdict.text()).startsWith("analysis: 5xx share rose by more than 5.0 points: after the deploy (120 s):"
                + " 5xx 20.0 % of 1000 requests");
    }

    @Test
    void theErrorThresholdIsARiseInPointsNotALevel() {
        EdgeFigures alreadyFailing = new EdgeFigures(600, 5000, 1000, 0.080);  // 20 % before

        assertThat(Verdict.judge(alreadyFailing, new EdgeFigures(120, 1000, 240, 0.080), LIMITS).kind())
                .isEqualTo(Verdict.Kind.PASSED);  // 24 %: +4 points
        assertThat(Verdict.judge(alreadyFailing, new EdgeFigures(120, 1000, 260, 0.080), LIMITS).kind())
                .isEqualTo(Verdict.Kind.ROLL_BACK);  // 26 %: +6 points
    }

    @Test
    void aSlowerP95RollsBackOnlyAboveBothTheRatioAndTheMargin() {
        assertThat(Verdict.judge(BASELINE, new EdgeFigures(120, 1000, 0, 0.300), LIMITS).text())
                .startsWith("analysis: p95 rose above 1.50 times the old one and by more than 0.100 s");
        // 3.75 times, but only 70 ms more: fast apps are not judged on a few milliseconds.
        EdgeFigures fast = new EdgeFigures(600, 5000, 0, 0.004);
        assertThat(Verdict.judge(fast, new EdgeFigures(120, 1000, 0, 0.015), LIMITS).kind()).isEqualTo(Verdict.Kind.PASSED);
        // 100 ms more, but only 1.2 times: slow apps vary by more.
        EdgeFigures slow = new EdgeFigures(600, 5000, 0, 1.0);
        assertThat(Verdict.judge(slow, new EdgeFigures(120, 1000, 0, 1.2), LIMITS).kind()).isEqualTo(Verdict.Kind.PASSED);
    }

    @Test
    void bothAtOnceNameBoth() {
        assertThat(Verdict.judge(BASELINE, new EdgeFigures(120, 1000, 500, Double.POSITIVE_INFINITY), LIMITS).text())
                .startsWith("analysis: 5xx share rose by more than 5.0 points and p95 rose above");
    }

    @Test
    void withoutTimedRequestsOnlyTheErrorShareCounts() {
        assertThat(Verdict.judge(new EdgeFigures(600, 5000, 0, Double.NaN), new EdgeFigures(120, 1000, 0, 0.5), LIMITS)
                .text()).isEqualTo("analysis passed: after the deploy (120 s): 5xx 0.0 % of 1000 requests, p95 0.500 s;"
                + " before (600 s): 5xx 0.0 % of 5000 requests, p95 n/a");
    }

    @Test
    void tooFewRequestsAfterTheDeployIsNotAnalysedEvenWhenAllFailed() {
        Verdict verdict = Verdict.judge(BASELINE, new EdgeFigures(120, 99, 99, 0.080), LIMITS);

        assertThat(verdict.kind()).isEqualTo(Verdict.Kind.NOT_ANALYSED);
        assertThat(verdict.text()).isEqualTo("not analysed: only 99 requests at the edge in the 120 s after the deploy"
                + " (at least 100 needed)");
    }

    @Test
    void tooFewRequestsBeforeTheDeployIsNotAnalysed() {
        Verdict verdict = Verdict.judge(new EdgeFigures(600, 12, 0, 0.080), new EdgeFigures(120, 1000, 500, 0.080), LIMITS);

        assertThat(verdict.kind()).isEqualTo(Verdict.Kind.NOT_ANALYSED);
        assertThat(verdict.text()).isEqualTo("not analysed: only 12 requests at the edge in the 600 s before the deploy,"
                + " no baseline (at least 100 needed)");
    }

    @Test
    void exactlyTheMinimumIsEnough() {
        assertThat(Verdict.judge(new EdgeFigures(600, 100, 0, 0.08), new EdgeFigures(120, 100, 0, 0.08), LIMITS).kind())
                .isEqualTo(Verdict.Kind.PASSED);
    }

    @Test
    void badThresholdsAreRefusedWithTheirKey() {
        assertThatThrownBy(() -> new Thresholds(0, 0.05, 1.5, Duration.ZERO)).hasMessageContaining("min-requests");
        assertThatThrownBy(() -> new Thresholds(100, 5, 1.5, Duration.ZERO)).hasMessageContaining("max-error-increase");
        assertThatThrownBy(() -> new Thresholds(100, 0.05, 0.5, Duration.ZERO)).hasMessageContaining("max-latency-ratio");
        assertThatThrownBy(() -> new Thresholds(100, 0.05, 1.5, Duration.ofMillis(-1))).hasMessageContaining("latency-margin");
    }
}
