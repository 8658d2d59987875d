package io.rinpoche.deploy.bench;

import io.rinpoche.deploy.DeployServiceApplication;
import io.rinpoche.deploy.analysis.SyntheticEdge;
import io.rinpoche.deploy.analysis.TestPrometheus;
import io.rinpoche.deploy.history.Deployment;
import io.rinpoche.deploy.history.DeploymentHistory;
import io.rinpoche.deploy.history.Trigger;
import io.rinpoche.deploy.model.DeployRequest;
import io.rinpoche.deploy.model.Digest;
import io.rinpoche.deploy.model.Environment;
import io.rinpoche.deploy.requests.ManualRequests;
import io.rinpoche.deploy.rollout.ImageCheck;
import io.rinpoche.deploy.rollout.ImageVersion;
import io.rinpoche.deploy.rollout.RolloutEngine;
import io.rinpoche.deploy.rollout.RolloutResult;
import io.rinpoche.deploy.rollout.ServiceState;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

/**
 * Time from a bad deploy to its automatic rollback: the shipped deploy service (git state, the analysis with the
 * given settings) against a real Prometheus (rinpoche/prometheus, scraping as often as the platform's, 15 s) that
 * scrapes {@code SyntheticEdge}, the edge metrics of production's {@code app} at {@code rate} requests/s. Each run waits
 * for a clean baseline, deploys a version, makes {@code fail} % of the requests fail from that moment, and times the
 * analysis' verdict (the rollback's start) and the rollback's end. The engine stands in for the compose engine and
 * takes {@code rollout} per rollout (the compose engine's p50 is about 8 s, RolloutBenchmark), so that the analysis'
 * own part is what is measured. From the repository root (about 2 minutes per run with the defaults):
 *
 * <pre>
 * mvn -B -q -f deploy-service/pom.xml test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=io.rinpoche.deploy.bench.AnalysisRollbackBenchmark -Dexec.args="runs=3"
 * # options as key=value, defaults: runs=3 scrape=15 window=120 check=15 baseline=600 rate=20 fail=20 rollout=8
 * </pre>
 */
public final class AnalysisRollbackBenchmark {

    private static final Environment PRODUCTION = Environment.of("production");
    private static final String IMAGE = "127.0.0.1:5000/hello-django:";
    private static final java.nio.file.Path STATE;

    static {
        try {
            STATE = Files.createTempDirectory("rinpoche-analysis-bench").resolve("state");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private AnalysisRollbackBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new HashMap<>(Map.of("runs", "3", "scrape", "15", "window", "120", "check", "15",
                "baseline", "600", "rate", "20", "fail", "20", "rollout", "8"));
        for (String arg : args) {
            options.put(arg.substring(0, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
        }
        SlowEngine.rollout = Duration.ofSeconds(Long.parseLong(options.get("rollout")));
        int scrape = Integer.parseInt(options.get("scrape"));
        List<double[]> times = new ArrayList<>();
        try (SyntheticEdge edge = new SyntheticEdge("production", "app", Integer.parseInt(options.get("rate")));
             TestPrometheus prometheus = new TestPrometheus(edge.port(), Duration.ofSeconds(scrape));
             ConfigurableApplicationContext service = service(prometheus, options)) {
            ManualRequests requests = service.getBean(ManualRequests.class);
            DeploymentHistory history = service.getBean(DeploymentHistory.class);
            System.out.printf("analysis: window %s s, checks every %s s, baseline %s s; Prometheus scrapes every %d s;"
                    + " %s requests/s, %s %% failing after the bad deploy; rollouts take %s s%n", options.get("window"),
                    options.get("check"), options.get("baseline"), scrape, options.get("rate"), options.get("fail"),
                    options.get("rollout"));
            for (int run = 1; run <= Integer.parseInt(options.get("runs")); run++) {
                Thread.sleep(Duration.ofSeconds(Math.max(30, 3L * scrape)).toMillis());   // a clean baseline
                String tag = "1." + run + ".0";
                Instant deployed = Instant.now();
                requests.deploy("production", "app", IMAGE + tag);
                edge.failing(Integer.parseInt(options.get("fail")));
                Deployment verdict = await(history, tag, Duration.ofSeconds(Long.parseLong(options.get("window")) + 120));
                edge.failing(0);
                double toVerdict = Duration.between(deployed, verdict.started()).toMillis() / 1000.0;
                double toRolledBack = Duration.between(deployed, verdict.started().plus(verdict.duration())).toMillis() / 1000.0;
                times.add(new double[] {toVerdict, toRolledBack});
                System.out.printf("run %d: deploy %s -> %s after %.1f s, rolled back %.1f s after the deploy: %s%n", run,
                        tag, verdict.outcome(), toVerdict, toRolledBack, verdict.reason());
                Thread.sleep(SlowEngine.rollout.toMillis() + 1000);
            }
        }
        try (var files = Files.walk(STATE.getParent())) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
        System.out.printf("bad deploy to its automatic rollback: verdict p50 %.1f s (max %.1f), rolled back p50 %.1f s"
                + " (max %.1f), %d runs%n", p50(times, 0), max(times, 0), p50(times, 1), max(times, 1), times.size());
    }

    private static ConfigurableApplicationContext service(TestPrometheus prometheus, Map<String, String> options)
            throws Exception {
        String token = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(Instant.now().toString().getBytes(StandardCharsets.UTF_8)));
        // As command-line arguments: they come before the test class path's config/application.yaml, which turns the
        // analysis off for the tests.
        return new SpringApplicationBuilder(DeployServiceApplication.class, SlowEngine.class).run(
                "--server.port=0", "--HOOK_TOKEN=" + token, "--ADMIN_TOKEN=" + token,
                "--rinpoche.state.directory=" + STATE,
                "--rinpoche.state.reconcile-interval=1h", "--rinpoche.analysis.environments=production",
                "--rinpoche.analysis.window=" + options.get("window") + "s",
                "--rinpoche.analysis.check-every=" + options.get("check") + "s",
                "--rinpoche.analysis.baseline=" + options.get("baseline") + "s",
                "--rinpoche.analysis.prometheus-url=" + prometheus.url());
    }

    // The analysis' entry about `tag`'s deploy: the rollback, or a verdict that it stays.
    private static Deployment await(DeploymentHistory history, String tag, Duration within) throws InterruptedException {
        Instant until = Instant.now().plus(within);
        while (Instant.now().isBefore(until)) {
            Optional<Deployment> entry = history.newest(d -> d.trigger().kind() == Trigger.Kind.ANALYSIS && d.from() != null
                    && d.from().reference().endsWith(":" + tag));
            if (entry.isPresent()) {
                return entry.get();
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("no analysis of " + tag + " within " + within);
    }

    private static double p50(List<double[]> times, int column) {
        return times.stream().mapToDouble(t -> t[column]).sorted().toArray()[(times.size() - 1) / 2];
    }

    private static double max(List<double[]> times, int column) {
        return times.stream().mapToDouble(t -> t[column]).max().orElse(Double.NaN);
    }

    /**
     * An engine whose every rollout takes {@link #rollout} and deploys; what runs is kept per service. A test
     * configuration, so that the test contexts' component scan leaves it out.
     */
    @TestConfiguration(proxyBeanMethods = false)
    static class SlowEngine {

        static volatile Duration rollout = Duration.ofSeconds(8);

        @Bean
        @Primary
        RolloutEngine slowEngine() {
            Map<String, ImageVersion> running = new ConcurrentHashMap<>();
            running.put("production/app", version(IMAGE + "1.0.0"));
            return new RolloutEngine() {
                @Override
                public RolloutResult roll(DeployRequest request, ImageCheck check) {
                    Instant start = Instant.now();
                    try {
                        Thread.sleep(rollout.toMillis());
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    ImageVersion to = version(request.image().toString());
                    ImageVersion from = running.put(request.environment() + "/" + request.service(), to);
                    return new RolloutResult(request, RolloutResult.Outcome.DEPLOYED, from, to,
                            Duration.between(start, Instant.now()), "");
                }

                @Override
                public List<String> recover(Environment environment) {
                    return List.of();
                }

                @Override
                public List<ServiceState> services(Environment environment) {
                    return List.of();
                }
            };
        }

        static ImageVersion version(String image) {
            try {
                return new ImageVersion(image, Digest.parse("sha256:" + HexFormat.of().formatHex(MessageDigest
                        .getInstance("SHA-256").digest(image.getBytes(StandardCharsets.UTF_8)))));
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
