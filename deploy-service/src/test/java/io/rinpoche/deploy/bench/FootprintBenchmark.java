package io.rinpoche.deploy.bench;

import io.rinpoche.testing.Command;
import io.rinpoche.testing.RinpocheImages;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToDoubleFunction;

/**
 * Start-up time and idle memory of the deploy service's image, configurations side by side in one run.
 *
 * <p>Each configuration is an image, and optionally a {@code JAVA_TOOL_OPTIONS} that replaces the image's own.
 * Every run starts a fresh container as compose/platform/compose.yaml does (Docker socket, state volume, release
 * rules, the platform's environment with throw-away tokens; see {@link ServiceContainer}) and prints:
 * <ul>
 * <li>{@code started}: the engine's {@code State.StartedAt} to the log's "Started DeployServiceApplication" line
 *     (the engine's timestamp of that line);</li>
 * <li>{@code health}: {@code State.StartedAt} to the first 200 of {@code GET /actuator/health} through the
 *     published port, polled every 20 ms (what `./platform up` and the registry's hooks wait for);</li>
 * <li>{@code RSS}: the java process's {@code VmRSS} ({@code /proc/<pid>/status}, with its {@code RssAnon} and
 *     {@code RssFile} parts) after {@code idle} seconds idle, and the container cgroup's anonymous memory
 *     ({@code memory.stat}: {@code anon} on cgroup v2, {@code total_rss} on v1);</li>
 * <li>any warning the JVM logged, e.g. an AOT cache it could not use;</li>
 * <li>then, unless {@code load=0}, {@code load} seconds (after 3 s of warm-up) of registry hooks that no rule
 *     matches from 8 clients (the intake part of {@link HookIntakeBenchmark}): hooks/s and acknowledgement p99,
 *     so that options which save memory are seen not to cost throughput, and the RSS after it.</li>
 * </ul>
 * Each configuration first gets one unmeasured start on its state volume (which creates the state repository and
 * warms the page cache); the measured runs then restart on that volume, as `up` recreates the service, with the
 * configurations taking turns so that the machine's load changes hit them alike. p50 is the nearest-rank median.
 *
 * <p>Configurations: {@code old} is the image of the Dockerfile as it was before issue 14 (commit {@value #OLD_REF}:
 * OpenJDK 21, the fat jar, {@code -XX:MaxRAMPercentage=50}), built here from that commit's Dockerfile around the
 * current jar as {@code rinpoche/deploy-service:<tag>-old}; {@code new} is {@code rinpoche/deploy-service:<tag>},
 * built here by {@code ./platform build deploy-service}. Any other is {@code label=image} or
 * {@code label=image|JAVA_TOOL_OPTIONS}, used as it is. Needs the Docker engine. From the repository root:
 *
 * <pre>
 * mvn -B -q -f deploy-service/pom.xml test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=io.rinpoche.deploy.bench.FootprintBenchmark -Dexec.args="runs=5 idle=30 load=10 old new"
 * # e.g. the new image with the old JVM options: -Dexec.args="runs=3 new 'new-g1=rinpoche/deploy-service:0.1.0|-XX:MaxRAMPercentage=50'"
 * </pre>
 */
public final class FootprintBenchmark {

    static final String OLD_REF = "a6cdacaf6081ac448169b7ab8f8cdb9074f2bfc6";

    /** An image, with the JAVA_TOOL_OPTIONS that replace its own (empty: the image's own). */
    record Config(String label, String image, Optional<String> javaToolOptions) {

        static Config parse(String spec, String tag) {
            if (spec.equals("old") || spec.equals("new")) {
                return new Config(spec, "rinpoche/deploy-service:" + tag + (spec.equals("old") ? "-old" : ""), Optional.empty());
            }
            String[] labelled = spec.split("=", 2);
            if (labelled.length != 2 || labelled[0].isBlank() || labelled[1].isBlank()) {
                throw new IllegalArgumentException("not a configuration: '" + spec + "' (old, new, label=image or label=image|JAVA_TOOL_OPTIONS)");
            }
            String[] image = labelled[1].split("\\|", 2);
            return new Config(labelled[0], image[0], image.length == 2 ? Optional.of(image[1]) : Optional.empty());
        }
    }

    private final String run = DateTimeFormatter.ofPattern("MMdd-HHmmss").withZone(ZoneOffset.UTC).format(Instant.now());
    private final int runs;
    private final Duration idle;
    private final List<Config> configs;
    private final Duration load;
    private final Map<Config, List<ServiceContainer.Run>> results = new LinkedHashMap<>();
    private final Map<Config, List<ServiceContainer.Load>> loads = new LinkedHashMap<>();

    private FootprintBenchmark(int runs, Duration idle, Duration load, List<Config> configs) {
        this.runs = runs;
        this.idle = idle;
        this.load = load;
        this.configs = configs;
        configs.forEach(config -> results.put(config, new ArrayList<>()));
        configs.forEach(config -> loads.put(config, new ArrayList<>()));
    }

    public static void main(String[] args) throws Exception {
        int runs = 5;
        int idle = 30;
        int load = 10;
        List<Config> configs = new ArrayList<>();
        String tag = RinpocheImages.tag();
        for (String arg : args) {
            if (arg.startsWith("runs=")) {
                runs = Integer.parseInt(arg.substring(5));
            } else if (arg.startsWith("idle=")) {
                idle = Integer.parseInt(arg.substring(5));
            } else if (arg.startsWith("load=")) {
                load = Integer.parseInt(arg.substring(5));
            } else {
                configs.add(Config.parse(arg, tag));
            }
        }
        if (configs.isEmpty()) {
            configs = List.of(Config.parse("old", tag), Config.parse("new", tag));
        }
        new FootprintBenchmark(runs, Duration.ofSeconds(idle), Duration.ofSeconds(load), configs).run(tag);
    }

    private void run(String tag) throws Exception {
        System.out.printf("deploy service footprint, run %s: %s, %d cores, %d runs per configuration, %d s idle%n",
                run, Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS),
                Runtime.getRuntime().availableProcessors(), runs, idle.toSeconds());
        buildImages(tag);
        Path rules = rules();
        int dockerGid = (Integer) Files.getAttribute(Path.of("/var/run/docker.sock"), "unix:gid");
        List<String> volumes = new ArrayList<>();
        try {
            for (Config config : configs) {
                describe(config);
                volumes.add(Command.docker("volume", "create", "rinpoche-footprint-" + run + "-" + config.label()).get(0));
                once(config, volumes.get(volumes.size() - 1), rules, dockerGid, 0);
            }
            for (int n = 1; n <= runs; n++) {
                for (int c = 0; c < configs.size(); c++) {
                    once(configs.get(c), volumes.get(c), rules, dockerGid, n);
                }
            }
        } finally {
            volumes.forEach(volume -> Command.run(Duration.ofMinutes(1), Map.of(), List.of("docker", "volume", "rm", volume)));
            Files.deleteIfExists(rules.resolve("apps.yaml"));
            Files.deleteIfExists(rules);
        }
        summary();
    }

    private void buildImages(String tag) throws IOException {
        Path root = RinpocheImages.root();
        if (configs.stream().anyMatch(config -> config.label().equals("new"))) {
            Command built = Command.run(Duration.ofMinutes(15), Map.of(), List.of(root.resolve("platform").toString(),
                    "build", "deploy-service"));
            if (built.exitCode() != 0) {
                throw new IllegalStateException("./platform build deploy-service failed: " + built.output());
            }
        }
        if (configs.stream().anyMatch(config -> config.label().equals("old"))) {
            // The old Dockerfile around the jar ./platform build (or mvn package) made: only the configuration differs.
            if (!Files.exists(root.resolve("deploy-service/target/deploy-service.jar"))) {
                throw new IllegalStateException("no deploy-service/target/deploy-service.jar: run ./platform build deploy-service");
            }
            Command dockerfile = Command.run(Duration.ofSeconds(30), Map.of(), List.of("git", "-C", root.toString(), "show",
                    OLD_REF + ":deploy-service/Dockerfile"));
            if (dockerfile.exitCode() != 0) {
                throw new IllegalStateException("cannot read the old Dockerfile: " + dockerfile.output());
            }
            Command built = Command.run(Duration.ofMinutes(15), Map.of(), List.of("docker", "build", "-q",
                    "-t", "rinpoche/deploy-service:" + tag + "-old", "-f", "-", root.resolve("deploy-service").toString()),
                    dockerfile.output());
            if (built.exitCode() != 0) {
                throw new IllegalStateException("docker build of the old image failed: " + built.output());
            }
        }
    }

    // What ./platform up generates from the example catalogue (apps/hello-django/app.yaml) for the deploy service.
    private static Path rules() throws IOException {
        Path dir = Files.createTempDirectory("rinpoche-footprint");
        Files.writeString(dir.resolve("apps.yaml"), """
                rinpoche:
                  policy:
                    rules:
                      - name: "hello-django/staging-1"
                        source: registry
                        repository: "hello-django"
                        match: glob
                        tag: "develop-*"
                        environment: staging
                        service: hello-django
                      - name: "hello-django/production-1"
                        source: registry
                        repository: "hello-django"
                        match: semver
                        tag: "*"
                        environment: production
                        service: hello-django
                """);
        dir.toFile().setReadable(true, false);
        dir.toFile().setExecutable(true, false);
        dir.resolve("apps.yaml").toFile().setReadable(true, false);
        return dir;
    }

    private static void describe(Config config) {
        List<String> image = Command.docker("image", "inspect", "-f", "{{.Id}} {{.Size}}", config.image());
        String[] idAndSize = image.get(0).split(" ");
        System.out.printf("%s: %s (%s, %.0f MB)%s%n", config.label(), config.image(), idAndSize[0].substring(7, 19),
                Long.parseLong(idAndSize[1]) / 1e6,
                config.javaToolOptions().map(options -> ", JAVA_TOOL_OPTIONS=" + options).orElse(", its own JAVA_TOOL_OPTIONS"));
    }

    // Run 0 is the unmeasured one.
    private void once(Config config, String volume, Path rules, int dockerGid, int n) throws Exception {
        String name = "rinpoche-footprint-" + run + "-" + config.label() + "-" + n;
        try (ServiceContainer container = ServiceContainer.create(name, config, volume, rules, dockerGid,
                "footprint-" + run)) {
            ServiceContainer.Run result = container.measure(n == 0 ? Duration.ZERO : idle);
            System.out.printf("  %-10s %s: started %.2f s (Spring: %.2f s, JVM %.2f s), health 200 %.2f s; "
                            + "RSS %.0f MiB (anon %.0f, file %.0f), cgroup anon %.0f MiB%s%n",
                    config.label(), n == 0 ? "warm-up" : "run " + n, result.startedSeconds(), result.springSeconds(),
                    result.jvmSeconds(), result.healthSeconds(), result.memory().rss(), result.memory().rssAnon(),
                    result.memory().rssFile(), result.memory().cgroupAnon(),
                    result.jvmWarnings().isEmpty() ? "" : "; JVM warnings: " + result.jvmWarnings());
            if (n == 0) {
                return;
            }
            results.get(config).add(result);
            if (!load.isZero()) {
                ServiceContainer.Load busy = container.load(8, load);
                System.out.printf("  %-10s run %d: 8 clients, %d s of hooks: %.0f hooks/s, ack p99 %.1f ms, failed %d;"
                                + " then RSS %.0f MiB (anon %.0f, file %.0f)%n", config.label(), n, load.toSeconds(),
                        busy.hooksPerSecond(), busy.ackP99Millis(), busy.failed(), busy.memory().rss(),
                        busy.memory().rssAnon(), busy.memory().rssFile());
                loads.get(config).add(busy);
            }
        }
    }

    private void summary() {
        System.out.printf("%n== figures (run %s): p50 [min - max] over %d runs; RSS after %d s idle ==%n", run, runs,
                idle.toSeconds());
        System.out.printf("%-12s %-22s %-22s %-22s %-22s %-22s%n", "config", "started (s)", "health 200 (s)",
                "VmRSS (MiB)", "RssAnon (MiB)", "cgroup anon (MiB)");
        results.forEach((config, list) -> System.out.printf("%-12s %-22s %-22s %-22s %-22s %-22s%n", config.label(),
                stat(list, ServiceContainer.Run::startedSeconds, "%.2f"), stat(list, ServiceContainer.Run::healthSeconds, "%.2f"),
                stat(list, r -> r.memory().rss(), "%.0f"), stat(list, r -> r.memory().rssAnon(), "%.0f"),
                stat(list, r -> r.memory().cgroupAnon(), "%.0f")));
        if (load.isZero()) {
            return;
        }
        System.out.printf("%nthen %d s of hooks from 8 clients (no rule matches; intake, authentication, policy):%n",
                load.toSeconds());
        System.out.printf("%-12s %-22s %-22s %-22s%n", "config", "hooks/s", "ack p99 (ms)", "VmRSS after (MiB)");
        loads.forEach((config, list) -> System.out.printf("%-12s %-22s %-22s %-22s%n", config.label(),
                stat(list, ServiceContainer.Load::hooksPerSecond, "%.0f"), stat(list, ServiceContainer.Load::ackP99Millis, "%.1f"),
                stat(list, l -> l.memory().rss(), "%.0f")));
    }

    private static <T> String stat(List<T> runs, ToDoubleFunction<T> figure, String format) {
        double[] values = runs.stream().mapToDouble(figure).sorted().toArray();
        return String.format(format + " [" + format + " - " + format + "]", Percentiles.of(values, 50),
                values.length == 0 ? 0.0 : values[0], values.length == 0 ? 0.0 : values[values.length - 1]);
    }
}
