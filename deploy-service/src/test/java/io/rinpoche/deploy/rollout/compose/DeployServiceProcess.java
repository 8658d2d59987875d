package io.rinpoche.deploy.rollout.compose;

import io.rinpoche.testing.Ports;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The packaged deploy service ({@code target/deploy-service.jar}) as a process of its own on this host, managing
 * one test stack's environment with its state repository in {@code stateDirectory} pushed to {@code remote}: so
 * that a test can kill it
 * with SIGKILL, as the kernel's OOM killer or a pulled plug would, and start it again on the same state.
 */
public final class DeployServiceProcess implements AutoCloseable {

    public static final String ADMIN_TOKEN = "crash-test-admin-token-0123456789";
    static final String HOOK_TOKEN = "crash-test-hook-token-0123456789";
    /** What the hook rule of {@link #pullingFrom} deploys to the stack's app: this repository, tags {@code release-*}. */
    static final String HOOK_REPOSITORY = "rinpoche-it/app";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final String environment;
    private final String projectPrefix;
    private final Path stateDirectory;
    private final Path remote;
    private final Path log;
    private final int port;
    private final List<String> extraArgs = new ArrayList<>();
    private final Map<String, String> extraEnv = new java.util.HashMap<>();
    private Duration healthTimeout = Duration.ofSeconds(30);
    private Process process;

    DeployServiceProcess(ComposeStack stack, Path stateDirectory, Path remote, Path log) throws IOException {
        this(stack.environment().name(), stack.projectPrefix(), stateDirectory, remote, log);
    }

    /** Manages compose project {@code <projectPrefix>-<environment>} on the engine {@link #withEnv} names (DOCKER_HOST). */
    public DeployServiceProcess(String environment, String projectPrefix, Path stateDirectory, Path remote, Path log)
            throws IOException {
        this.environment = environment;
        this.projectPrefix = projectPrefix;
        this.stateDirectory = stateDirectory;
        this.remote = remote;
        this.log = log;
        this.port = Ports.free();
    }

    /**
     * From the next start on, pulls from {@code registry} with its login, takes the registry's hooks for it (source
     * {@code registry}) and deploys {@link #HOOK_REPOSITORY}{@code :release-*} to the stack's app.
     */
    DeployServiceProcess pullingFrom(TestRegistry registry) {
        return pullingFrom(registry.address(), TestRegistry.USER, registry.password());
    }

    /** The same for the registry at {@code address} (host:port), logging in as {@code user}. */
    DeployServiceProcess pullingFrom(String address, String user, String password) {
        extraEnv.putAll(Map.of("REGISTRY_ADDRESS", address, "REGISTRY_USER", user, "REGISTRY_PASSWORD", password));
        return deployingPushes(HOOK_REPOSITORY, "release-*");
    }

    /**
     * From the next start on, its one rule: the registry's hooks (source {@code registry}) for {@code repository}
     * with a tag matching the glob {@code tag} deploy the stack's app.
     */
    public DeployServiceProcess deployingPushes(String repository, String tag) {
        String rule = "--rinpoche.policy.rules[0].";
        extraArgs.addAll(List.of(rule + "name=it", rule + "source=registry", rule + "repository=" + repository,
                rule + "tag=" + tag, rule + "environment=" + environment, rule + "service=app"));
        return this;
    }

    /** From the next start on, these environment variables too (e.g. DOCKER_HOST, PROXY_UPSTREAMS). */
    public DeployServiceProcess withEnv(Map<String, String> env) {
        extraEnv.putAll(env);
        return this;
    }

    /** From the next start on, a new replica may take this long to turn healthy (30 s by default). */
    DeployServiceProcess withHealthTimeout(Duration timeout) {
        healthTimeout = timeout;
        return this;
    }

    /** From the next start on, these arguments too (Spring properties as {@code --name=value}). */
    public DeployServiceProcess withArgs(String... args) {
        extraArgs.addAll(List.of(args));
        return this;
    }

    /** The process id of the running service (for its memory in /proc). */
    long pid() {
        return process.pid();
    }

    /** Starts it and waits until it answers its health endpoint. */
    public void start() throws Exception {
        List<String> argv = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", Path.of("target", "deploy-service.jar").toAbsolutePath().toString(),
                "--server.port=" + port, "--rinpoche.environments=" + environment,
                "--rinpoche.state.directory=" + stateDirectory, "--rinpoche.state.remote.url=" + remote,
                "--rinpoche.state.reconcile-interval=2s",
                "--rinpoche.rollout.compose.health-timeout=" + healthTimeout.toSeconds() + "s", "--rinpoche.dashboard.prometheus-url=http://127.0.0.1:9"));
        argv.addAll(extraArgs);
        ProcessBuilder builder = new ProcessBuilder(argv).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(Map.of("HOOK_TOKEN", HOOK_TOKEN, "ADMIN_TOKEN", ADMIN_TOKEN,
                "RINPOCHE_PROJECT_PREFIX", projectPrefix));
        builder.environment().putAll(extraEnv);
        process = builder.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the deploy service exited with " + process.exitValue() + "; see " + log);
            }
            try {
                if (get("/actuator/health").statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // Not listening yet.
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("the deploy service did not answer within 90 s; see " + log);
    }

    /** SIGKILL: no shutdown hook runs, nothing is flushed or closed. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    public HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HTTP.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> post(String path, String json) throws IOException, InterruptedException {
        return HTTP.send(request(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A CNCF distribution notification of a push of {@code tag} with {@code digest}, as the registry sends it. */
    public HttpResponse<String> hook(String eventId, String host, String repository, String tag, String digest)
            throws IOException, InterruptedException {
        return HTTP.send(hookRequest(eventId, host, repository, tag, digest), HttpResponse.BodyHandlers.ofString());
    }

    /** The request {@link #hook} sends, for a client of the caller's own. */
    HttpRequest hookRequest(String eventId, String host, String repository, String tag, String digest) {
        String envelope = """
                {"events": [{"id": "%s", "timestamp": "2026-11-26T00:00:00Z", "action": "push",
                  "target": {"mediaType": "application/vnd.docker.distribution.manifest.v2+json", "size": 1234,
                    "digest": "%s", "repository": "%s", "tag": "%s"},
                  "request": {"host": "%s", "method": "PUT"}}]}
                """.formatted(eventId, digest, repository, tag, host);
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/hooks/registry"))
                .timeout(Duration.ofSeconds(10)).header("Authorization", "Bearer " + HOOK_TOKEN)
                .header("Content-Type", "application/vnd.docker.distribution.events.v1+json")
                .POST(HttpRequest.BodyPublishers.ofString(envelope)).build();
    }

    /** The newest of the last 20 history entries that {@code which} accepts, if any. */
    public Optional<JsonNode> deployment(Predicate<JsonNode> which) throws IOException, InterruptedException {
        for (JsonNode item : JsonMapper.shared().readTree(get("/api/deployments?size=20").body()).path("items")) {
            if (which.test(item)) {
                return Optional.of(item);
            }
        }
        return Optional.empty();
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + ADMIN_TOKEN);
    }

    public String logText() throws IOException {
        return Files.readString(log);
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            process.waitFor();
        }
    }
}
