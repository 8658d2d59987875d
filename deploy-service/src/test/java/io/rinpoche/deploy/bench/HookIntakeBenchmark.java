package io.rinpoche.deploy.bench;

import io.rinpoche.deploy.bench.LocalImages.Image;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * Measures a running platform's deploy service (README.md, "Benchmarks", says how to run it):
 * <ol>
 * <li>intake: hooks/s and acknowledgement latency for pushes no rule matches, and for redeliveries;</li>
 * <li>burst: 500 hooks for staging/hello-django, how many rollouts ran and whether the last deployed the newest image;</li>
 * <li>push to serving: {@code docker push} to staging answering only the new version, beside the new
 *     containers' own time-to-healthy, and the requests a steady load on staging saw fail meanwhile.</li>
 * </ol>
 * Only staging is deployed to; at the end staging is put back on the image it ran before, and the images
 * built here are removed.
 *
 * <pre>HookIntakeBenchmark &lt;deploy service URL&gt; &lt;secrets.env&gt; [key=value ...]</pre>
 */
public final class HookIntakeBenchmark {

    private static final Map<String, String> DEFAULTS = Map.ofEntries(Map.entry("clients", "8"),
            Map.entry("warmup", "3"), Map.entry("seconds", "10"), Map.entry("burst", "500"), Map.entry("pushes", "5"),
            Map.entry("load", "2"), Map.entry("staging", "http://127.0.0.1:8081"), Map.entry("registry", "127.0.0.1:5000"),
            Map.entry("user", "rinpoche"), Map.entry("base", "rinpoche/hello-django:0.1.0"),
            Map.entry("project", "rinpoche-staging"), Map.entry("parts", "intake,burst,latency"));

    private final Map<String, String> options;
    private final DeployService service;
    private final Map<String, String> secrets;
    private final String run = DateTimeFormatter.ofPattern("MMdd-HHmmss").withZone(ZoneOffset.UTC).format(Instant.now());
    private final Envelopes envelopes = new Envelopes();
    private final List<String> figures = new ArrayList<>();

    private HookIntakeBenchmark(URI url, Map<String, String> secrets, Map<String, String> options) {
        this.options = options;
        this.secrets = secrets;
        this.service = new DeployService(url, secrets);
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            throw new IllegalArgumentException("usage: HookIntakeBenchmark <deploy service URL> <secrets.env>"
                    + " [key=value ...]; keys and defaults: " + DEFAULTS);
        }
        Map<String, String> options = new HashMap<>(DEFAULTS);
        for (int i = 2; i < args.length; i++) {
            String[] pair = args[i].split("=", 2);
            if (pair.length != 2 || !DEFAULTS.containsKey(pair[0])) {
                throw new IllegalArgumentException("not an option: " + args[i] + "; known: " + DEFAULTS.keySet());
            }
            options.put(pair[0], pair[1]);
        }
        new HookIntakeBenchmark(URI.create(args[0]), secrets(Path.of(args[1])), options).run();
    }

    private void run() throws Exception {
        System.out.printf("rinpoche deploy service benchmark, run %s: %s, %d cores, Java %s%n", run,
                Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS), Runtime.getRuntime().availableProcessors(),
                Runtime.version());
        Set<String> parts = Set.of(options.get("parts").split(","));
        if (parts.contains("intake")) {
            intake();
        }
        if (parts.contains("burst") || parts.contains("latency")) {
            onStaging(parts);
        }
        System.out.printf("%n== figures (run %s) ==%n", run);
        figures.forEach(System.out::println);
    }

    // 1. Pushes of repository bench-ignored: the whole intake (auth, parse, policy) with no rollout behind it.
    private void intake() throws InterruptedException {
        System.out.printf("%n== 1. intake: %s clients, %s s warm-up, %s s measured; pushes no rule matches ==%n",
                option("clients"), option("warmup"), option("seconds"));
        // Made beforehand and reused in turn, so the clients (on the same cores) spend nothing on building them.
        byte[][] pool = new byte[1024][];
        for (int n = 0; n < pool.length; n++) {
            pool[n] = envelopes.push("bench-ignored", "bench-" + run + "-" + n, String.format("sha256:%064x", n),
                    "intake-" + run + "-" + n);
        }
        Intake.Result result = Intake.run(service, number("clients"), seconds("warmup"), seconds("seconds"),
                n -> pool[(int) (n % pool.length)],
                response -> response.statusCode() == 202 && response.body().contains("\"outcome\":\"ignored\""));
        System.out.println("  " + result.summary());
        figures.add("intake, " + option("clients") + " clients, no rule matches (202 ignored): " + result.summary());
    }

    // 2 and 3 deploy staging: staging is put back on its image afterwards, the images built are removed.
    private void onStaging(Set<String> parts) throws Exception {
        JsonNode app = stagingApp();
        String originalImage = app.path("image").asString();
        Staging staging = new Staging(URI.create(option("staging")));
        String originalVersion = staging.version();
        System.out.printf("%nstaging/hello-django runs %s (version %s); a load of %s clients on %s/api/stats from now on%n",
                originalImage, originalVersion, option("load"), option("staging"));
        try (LocalImages images = LocalImages.login(option("base"), option("registry"), option("user"),
                secret("REGISTRY_PASSWORD"));
             RolloutContainers containers = RolloutContainers.watch(option("project"))) {
            staging.withLoad(number("load"));
            try {
                if (parts.contains("burst")) {
                    burst(images, staging);
                }
                if (parts.contains("latency")) {
                    pushToServing(images, staging, containers);
                }
            } finally {
                try {
                    restore(originalImage, originalVersion, staging);
                } finally {
                    staging.close();
                }
            }
            String load = String.format("steady load on staging (%s clients and the version polls) through every rollout"
                    + " of parts 2 and 3 and the restore: %d requests, %d failed", option("load"), staging.requests(),
                    staging.failed());
            System.out.println("  " + load);
            figures.add(load);
            System.out.println("removing the images built by this run and deleting its manifests from the registry");
        }
    }

    private void burst(LocalImages images, Staging staging) throws IOException, InterruptedException {
        int hooks = number("burst");
        String repository = option("registry") + "/hello-django:bench-burst-" + run;
        System.out.printf("%n== 2. burst: %d hooks for staging/hello-django ==%n", hooks);
        // A hook deploys only the digest its tag points to at the registry now, so the burst's hooks name two develop-*
        // tags pushed first: the registry's own hooks for those roll staging onto first, then newest, which is awaited;
        // the burst's hook 0 then rolls it back onto first, and the rest onto newest. The images are built and pushed
        // under tags no rule matches before, so the develop-* pushes are manifests only.
        Image first = images.push(images.build(repository + "-first", "bench-" + run + "-first"));
        Image newest = images.push(images.build(repository + "-newest", "bench-" + run + "-newest"));
        String develop = option("registry") + "/hello-django:develop-burst-" + run;
        first = images.push(images.tag(first, develop + "-first"));
        staging.awaitOnly(first.version(), Duration.ofMinutes(2));
        newest = images.push(images.tag(newest, develop + "-newest"));
        staging.awaitOnly(newest.version(), Duration.ofMinutes(2));
        System.out.printf("  pushed %s = %s and %s = %s; staging serves %s%n", first.tag(),
                Burst.shortDigest(first.digest()), newest.tag(), Burst.shortDigest(newest.digest()), staging.version());
        Burst.Result result = Burst.run(service, envelopes, run, hooks, number("clients"), first, newest);
        String served = staging.version();
        System.out.printf("  sent %d hooks in %.2f s (%.0f hooks/s), %d acknowledged 202 planned, failed %s;"
                        + " lane idle %.1f s after the first%n", hooks, result.sendSeconds(), hooks / result.sendSeconds(),
                result.acknowledged(), result.failures().isEmpty() ? "0" : result.failures(), result.idleSeconds());
        System.out.printf("  rollout requests: queued +%.0f, superseded +%.0f -> rollouts run %.0f%n", result.queued(),
                result.superseded(), result.queued() - result.superseded());
        for (int i = result.rollouts().size() - 1; i >= 0; i--) { // oldest first
            System.out.println("    " + Burst.describe(result.rollouts().get(i)));
        }
        boolean newestLast = result.newestRanLast(newest);
        figures.add(String.format("burst of %d hooks (sent in %.2f s, %d x 202, %d failed): %d rollouts changed what runs"
                        + " (at most 2: %s), %d more found it already running; the last was the newest hook and left the"
                        + " newest image running: %s; staging serves %s (expected %s): %s", hooks, result.sendSeconds(),
                result.acknowledged(), hooks - result.acknowledged(), result.deployed(), yes(result.deployed() <= 2),
                result.rollouts().size() - result.deployed(), yes(newestLast), served, newest.version(),
                yes(newest.version().equals(served))));
        redeliveries(result);
    }

    // The newest burst hook again and again, byte for byte: it matches a rule, so it reaches the scheduler.
    private void redeliveries(Burst.Result burst) throws IOException, InterruptedException {
        System.out.printf("%n== 1b. intake: redeliveries of %s (matches staging/hello-django) ==%n", burst.newestEventId());
        double before = service.metric(Burst.REDELIVERED);
        Intake.Result result = Intake.run(service, number("clients"), seconds("warmup"), seconds("seconds"),
                n -> burst.newestEnvelope(), response -> response.statusCode() == 202);
        double dropped = service.metric(Burst.REDELIVERED) - before;
        int rollouts = Burst.awaitRollout(service, "burst-" + run + "-", burst.newestEventId(), Duration.ofSeconds(5))
                .size();
        System.out.printf("  %s%n  dropped as redelivered: %.0f of %d sent; rollouts for the burst's events still %d%n",
                result.summary(), dropped, result.sentTotal(), rollouts);
        figures.add(String.format("intake, %s clients, redeliveries of a rule-matching event (202, dropped by the"
                + " scheduler): %s; %.0f of %d dropped as redelivered, no new rollout: %s", option("clients"),
                result.summary(), dropped,
                result.sentTotal(), yes(rollouts == burst.rollouts().size())));
    }

    private void pushToServing(LocalImages images, Staging staging, RolloutContainers containers)
            throws IOException, InterruptedException {
        int pushes = number("pushes");
        System.out.printf("%n== 3. push to serving: %d pushes of develop-* tags to %s (pre-pulled images) ==%n", pushes,
                option("registry"));
        List<Image> built = new ArrayList<>();
        List<String> develop = new ArrayList<>();
        for (int k = 1; k <= pushes; k++) {
            built.add(images.build(option("registry") + "/hello-django:bench-" + run + "-" + k, "bench-" + run + "-" + k));
            develop.add(option("registry") + "/hello-django:develop-bench-" + run + "-" + k);
        }
        List<PushToServing.Row> rows = PushToServing.run(service, images, built, develop, staging, containers);
        double[] only = rows.stream().mapToDouble(PushToServing.Row::onlySeconds).toArray();
        double[] first = rows.stream().mapToDouble(PushToServing.Row::firstSeconds).toArray();
        double[] replica = rows.stream().mapToDouble(PushToServing.Row::replicaHealthySeconds).toArray();
        double[] probe = rows.stream().mapToDouble(PushToServing.Row::probeHealthySeconds).toArray();
        double[] overhead = rows.stream().mapToDouble(r -> r.onlySeconds() - r.replicaHealthySeconds()).toArray();
        double[] beyondBoth = rows.stream()
                .mapToDouble(r -> r.onlySeconds() - r.replicaHealthySeconds() - r.probeHealthySeconds()).toArray();
        figures.add(String.format("push to serving (%d pushes, docker push returned -> staging answers only the new"
                        + " version): p50 %.2f s, p95 %.2f s; first new answer p50 %.2f s", pushes, p(only, 50), p(only, 95),
                p(first, 50)));
        // The engine that tells nginx starts no probe (the figure is NaN then); the engine before did.
        String probed = Double.isNaN(p(probe, 50)) ? "" : String.format(" (of which the probe's time-to-healthy p50"
                + " %.2f s; above both p50 %.2f s)", p(probe, 50), p(beyondBoth, 50));
        figures.add(String.format("  new replica's own time-to-healthy p50 %.2f s; deploy service overhead above it p50"
                + " %.2f s, p95 %.2f s%s", p(replica, 50), p(overhead, 50), p(overhead, 95), probed));
    }

    // Puts staging back on the image it ran before the benchmark, so the images built here can go.
    private void restore(String image, String version, Staging staging) throws IOException, InterruptedException {
        if (version == null || version.equals(staging.version())) {
            return;
        }
        System.out.printf("%nputting staging/hello-django back on %s%n", image);
        String id = service.deploy("staging", "hello-django", image);
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (System.nanoTime() < deadline) {
            for (JsonNode entry : service.deployments(20)) {
                if (entry.path("id").asString().equals(id)) {
                    System.out.printf("  %s; staging serves %s%n", Burst.describe(entry), staging.version());
                    return;
                }
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("staging was not put back on " + image + " within 3 minutes");
    }

    private JsonNode stagingApp() throws IOException, InterruptedException {
        for (JsonNode environment : service.api("/api/environments")) {
            if (environment.path("name").asString().equals("staging")) {
                for (JsonNode app : environment.path("services")) {
                    if (app.path("name").asString().equals("hello-django")) {
                        return app;
                    }
                }
            }
        }
        throw new IllegalStateException("the deploy service lists no staging/hello-django");
    }

    // KEY=VALUE lines as ./platform writes them; the values are never printed.
    private static Map<String, String> secrets(Path file) throws IOException {
        Map<String, String> secrets = new HashMap<>();
        for (String line : Files.readAllLines(file)) {
            int equals = line.indexOf('=');
            if (!line.isBlank() && !line.startsWith("#") && equals > 0) {
                secrets.put(line.substring(0, equals).trim(), line.substring(equals + 1).trim().replaceAll("^\"|\"$", ""));
            }
        }
        return secrets;
    }

    private String secret(String name) {
        String value = secrets.get(name);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("the secrets file has no " + name);
        }
        return value;
    }

    private String option(String name) {
        return options.get(name);
    }

    private int number(String name) {
        return Integer.parseInt(options.get(name));
    }

    private Duration seconds(String name) {
        return Duration.ofMillis((long) (Double.parseDouble(options.get(name)) * 1000));
    }

    private static double p(double[] values, double percentile) {
        return Percentiles.ofUnsorted(values, percentile);
    }

    private static String yes(boolean value) {
        return value ? "yes" : "NO";
    }
}
