package io.rinpoche.deploy.bench;

import io.rinpoche.testing.Command;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One deploy service container, started as compose/platform/compose.yaml starts it: the Docker socket mounted with
 * its group added, the state volume at /var/lib/rinpoche, the generated release rules at /etc/rinpoche/apps, the
 * same environment (throw-away tokens), port 8088 published on 127.0.0.1. Its project prefix is the benchmark's own,
 * so the reconcile loop lists containers like the platform's but finds nothing to roll.
 */
final class ServiceContainer implements AutoCloseable {

    private static final Pattern STARTED = Pattern.compile(
            "Started \\S+ in ([0-9.]+) seconds \\(process running for ([0-9.]+)\\)");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();

    /** What one start gave: times from the container's start (the engine's State.StartedAt), RSS after idling. */
    record Run(double startedSeconds, double healthSeconds, double springSeconds, double jvmSeconds,
               Memory memory, List<String> jvmWarnings) {
    }

    /** The java process's VmRSS with its anonymous and file-backed parts, and the cgroup's anonymous memory, in MiB. */
    record Memory(double rss, double rssAnon, double rssFile, double cgroupAnon) {
    }

    /** Hook intake under load, and the memory after it. */
    record Load(double hooksPerSecond, double ackP99Millis, long failed, Memory memory) {
    }

    static final String HOOK_TOKEN = "footprint-hook-token-0123456789";
    static final String ADMIN_TOKEN = "footprint-admin-token-0123456789";

    private final String name;
    private URI base;

    private ServiceContainer(String name) {
        this.name = name;
    }

    /** Creates (does not start) container {@code name} of {@code config} on state volume {@code volume}. */
    static ServiceContainer create(String name, FootprintBenchmark.Config config, String volume, Path rules, int dockerGid,
                                   String projectPrefix) {
        List<String> args = new ArrayList<>(List.of("create", "--name", name, "-p", "127.0.0.1::8088",
                "-v", "/var/run/docker.sock:/var/run/docker.sock", "-v", volume + ":/var/lib/rinpoche",
                "-v", rules + ":/etc/rinpoche/apps:ro", "--group-add", Integer.toString(dockerGid),
                "-e", "HOOK_TOKEN=" + HOOK_TOKEN, "-e", "ADMIN_TOKEN=" + ADMIN_TOKEN,
                "-e", "RINPOCHE_PROJECT_PREFIX=" + projectPrefix, "-e", "REGISTRY_ADDRESS=127.0.0.1:5000",
                "-e", "REGISTRY_USER=rinpoche", "-e", "REGISTRY_PASSWORD=footprint-registry-password",
                "-e", "SPRING_CONFIG_ADDITIONAL_LOCATION=file:/etc/rinpoche/apps/apps.yaml"));
        config.javaToolOptions().ifPresent(options -> args.addAll(List.of("-e", "JAVA_TOOL_OPTIONS=" + options)));
        args.add(config.image());
        Command.docker(args.toArray(String[]::new));
        return new ServiceContainer(name);
    }

    /** Starts it, waits for its health endpoint's first 200, idles {@code idle}, then reads its memory. */
    Run measure(Duration idle) throws InterruptedException {
        Command.docker("start", name);
        Instant startedAt = Instant.parse(Command.docker("inspect", "-f", "{{.State.StartedAt}}", name).get(0));
        base = URI.create("http://" + Command.docker("port", name, "8088").get(0));
        Instant healthy = firstOk(base.resolve("/actuator/health"), startedAt.plusSeconds(120));
        Thread.sleep(idle.toMillis());
        List<String> log = Command.docker("logs", "--timestamps", name);
        String startedLine = log.stream().filter(line -> STARTED.matcher(line).find()).findFirst()
                .orElseThrow(() -> new IllegalStateException(name + " never logged 'Started ...'"));
        Matcher spring = STARTED.matcher(startedLine);
        spring.find();
        return new Run(seconds(startedAt, Instant.parse(startedLine.substring(0, startedLine.indexOf(' ')))),
                seconds(startedAt, healthy), Double.parseDouble(spring.group(1)), Double.parseDouble(spring.group(2)),
                memory(), jvmWarnings(log));
    }

    /**
     * {@code clients} threads POST registry hooks no rule matches for {@code window} after a 3 s warm-up (the intake
     * part of HookIntakeBenchmark: authentication, parsing, policy), then the memory is read again.
     */
    Load load(int clients, Duration window) throws InterruptedException {
        Envelopes envelopes = new Envelopes();
        byte[][] pool = new byte[256][];
        for (int n = 0; n < pool.length; n++) {
            pool[n] = envelopes.push("bench-ignored", "footprint-" + n, String.format("sha256:%064x", n), name + "-" + n);
        }
        Intake.Result result = Intake.run(new DeployService(base, java.util.Map.of("HOOK_TOKEN", HOOK_TOKEN,
                        "ADMIN_TOKEN", ADMIN_TOKEN)), clients, Duration.ofSeconds(3), window,
                n -> pool[(int) (n % pool.length)], response -> response.statusCode() == 202);
        return new Load(result.perSecond(), Percentiles.of(result.latenciesMillis(), 99), result.failed(), memory());
    }

    private Instant firstOk(URI health, Instant deadline) throws InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(health).timeout(Duration.ofSeconds(2)).build();
        while (Instant.now().isBefore(deadline)) {
            try {
                if (HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return Instant.now();
                }
            } catch (IOException notYet) {
                // Not listening yet (docker-proxy accepts, then resets the connection).
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException(name + " did not answer 200 on " + health + " within 120 s: "
                + String.join("\n", Command.docker("logs", "--tail", "30", name)));
    }

    // PID 1 is tini; java is its only child. The cgroup file is memory.stat of cgroup v2 (anon) or v1 (total_rss).
    private Memory memory() {
        String script = "java=$(cat /proc/1/task/1/children); read comm < /proc/${java% }/comm; echo comm=$comm;"
                + " grep -E '^(VmRSS|RssAnon|RssFile):' /proc/${java% }/status;"
                + " grep -E '^(anon|total_rss) ' /sys/fs/cgroup/memory.stat /sys/fs/cgroup/memory/memory.stat 2>/dev/null"
                + " | sed 's/.*://' || true";
        List<String> lines = Command.docker("exec", name, "sh", "-c", script);
        if (!lines.contains("comm=java")) {
            throw new IllegalStateException("PID 1's child in " + name + " is not java: " + lines);
        }
        return new Memory(kib(lines, "VmRSS:"), kib(lines, "RssAnon:"), kib(lines, "RssFile:"),
                value(lines, "anon ").or(() -> value(lines, "total_rss ")).orElse(Double.NaN) / 1024 / 1024);
    }

    private static double kib(List<String> lines, String key) {
        return value(lines, key).orElseThrow(() -> new IllegalStateException("no " + key + " in " + lines)) / 1024;
    }

    private static Optional<Double> value(List<String> lines, String key) {
        return lines.stream().filter(line -> line.startsWith(key))
                .map(line -> Double.parseDouble(line.substring(key.length()).trim().split("\\s+")[0])).findFirst();
    }

    // What the JVM itself warns about, e.g. an AOT cache it cannot use ("[aot][warning]...", "[cds][warning]...").
    private static List<String> jvmWarnings(List<String> log) {
        return log.stream().map(line -> line.substring(line.indexOf(' ') + 1))
                .filter(line -> line.contains("[warning]") || line.startsWith("OpenJDK 64-Bit Server VM warning")).toList();
    }

    private static double seconds(Instant from, Instant to) {
        return Duration.between(from, to).toNanos() / 1e9;
    }

    /** The container's last log lines, to show why a run failed. */
    String tail() {
        return String.join("\n", Command.docker("logs", "--tail", "20", name));
    }

    @Override
    public void close() {
        Command.run(Duration.ofMinutes(2), java.util.Map.of(), List.of("docker", "rm", "-f", "-v", name));
    }
}
