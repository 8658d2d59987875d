package io.rinpoche.deploy.bench;

import io.rinpoche.deploy.bench.LocalImages.Image;
import io.rinpoche.deploy.bench.RolloutContainers.Healthy;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * The whole loop for real: {@code docker push} of a {@code develop-*} tag to the platform registry, whose hook
 * makes the deploy service roll staging/hello-django. Measured from the push returning to staging answering only the
 * new version, next to the new containers' own time-to-healthy (the probe's, then the replica's).
 *
 * <p>Each image is first pushed under a tag no rule matches, then tagged {@code develop-*} and pushed again
 * (a manifest only), the push that is timed. So the image is pre-pulled: the Docker engine already knows it by
 * the digest the hook names. A first push of a new image races its own hook: the registry notifies on the
 * manifest PUT, before the pushing engine has recorded that digest, and the deploy service then pulls.
 */
final class PushToServing {

    private static final String HOOK_TO_SERVING = "rinpoche_hook_to_serving_seconds_sum{environment=\"staging\",service=\"hello-django\"}";

    /** One push: seconds from the push returning to the first and to only new answers; the containers' times. */
    record Row(Image image, double pushSeconds, double firstSeconds, double onlySeconds, Optional<Healthy> probe,
               Optional<Healthy> replica, Optional<Duration> replicaInspected, double serviceSeconds, JsonNode rollout) {

        /** The replica's time-to-healthy: Docker's events, else its inspect output; NaN when neither has it. */
        double replicaHealthySeconds() {
            return replica.map(h -> h.toHealthy().toMillis() / 1000.0)
                    .or(() -> replicaInspected.map(d -> d.toMillis() / 1000.0)).orElse(Double.NaN);
        }

        double probeHealthySeconds() {
            return probe.map(h -> h.toHealthy().toMillis() / 1000.0).orElse(Double.NaN);
        }
    }

    private PushToServing() {
    }

    /** Pushes each of {@code built} (tags no rule matches), then the same as {@code develop.get(i)}, timed. */
    static List<Row> run(DeployService service, LocalImages images, List<Image> built, List<String> develop,
                         Staging staging, RolloutContainers containers) throws IOException, InterruptedException {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < built.size(); i++) {
            Image image = images.tag(images.push(built.get(i)), develop.get(i));
            Thread.sleep(1000); // the registry's hook for the first push (ignored) is out of the way
            double servedBefore = service.metric(HOOK_TO_SERVING);
            Instant pushStart = Instant.now();
            long pushStartNanos = System.nanoTime();
            Image pushed = images.push(image);
            long pushedAt = System.nanoTime();
            Staging.Serving serving = staging.awaitOnly(pushed.version(), Duration.ofMinutes(2));
            JsonNode rollout = awaitHistory(service, ":" + pushed.tag() + "@", Duration.ofMinutes(1));
            Optional<Healthy> replica = containers.fromEvents("replica", pushStart);
            rows.add(new Row(pushed, (pushedAt - pushStartNanos) / 1e9, (serving.first() - pushedAt) / 1e9,
                    (serving.only() - pushedAt) / 1e9, containers.fromEvents("probe", pushStart), replica,
                    replica.flatMap(r -> RolloutContainers.fromInspect(r.name())),
                    service.metric(HOOK_TO_SERVING) - servedBefore, rollout));
            print(rows.get(rows.size() - 1));
            Thread.sleep(1000); // the next push meets a settled staging
        }
        return rows;
    }

    // The history entry of the rollout the registry's hook requested (its event id is the registry's).
    private static JsonNode awaitHistory(DeployService service, String tagInRequest, Duration timeout)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            for (JsonNode rollout : service.deployments(20)) {
                if (rollout.path("requested").asString("").contains(tagInRequest)) {
                    return rollout;
                }
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("no rollout requested " + tagInRequest + " within " + timeout);
    }

    private static void print(Row row) {
        double replicaInspected = row.replicaInspected().map(d -> d.toMillis() / 1000.0).orElse(Double.NaN);
        System.out.printf("  %-28s push %.2f s | first answer %+.2f s, only new %.2f s | probe ttH %.2f s,"
                        + " replica ttH %.2f s (inspect %.2f s) | service's hook-to-serving %.2f s | %s%n",
                row.image().tag(), row.pushSeconds(), row.firstSeconds(), row.onlySeconds(), row.probeHealthySeconds(),
                row.replicaHealthySeconds(), replicaInspected, row.serviceSeconds(), Burst.describe(row.rollout()));
    }
}
