package io.rinpoche.deploy.rollout.swarm;

import io.rinpoche.deploy.model.Environment;
import io.rinpoche.deploy.model.ImageRef;
import io.rinpoche.deploy.rollout.TestVersions;
import io.rinpoche.deploy.model.ServiceName;
import io.rinpoche.deploy.rollout.RolloutStack;
import io.rinpoche.deploy.rollout.compose.DeployServiceProcess;
import io.rinpoche.deploy.state.Git;
import io.rinpoche.testing.Command;
import io.rinpoche.testing.OwnImages;
import io.rinpoche.testing.RinpocheImages;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code src/test/resources/rollout/swarm-stack.yaml} deployed on the run's {@link SwarmCluster} as stack
 * {@code <run>-it}, and the app images the tests roll it onto (derived from rinpoche/hello-django, built once on the
 * host and pushed to the cluster's registry, whence the nodes pull them with the registry's login). Built once per
 * run, as the cluster is.
 */
final class SwarmStack implements RolloutStack {

    /** Good versions v2..v{VERSIONS}, beside v1 which the stack starts on (SwarmClusterIT takes one too). */
    static final int VERSIONS = 12;
    /** Good versions whose app exits at once on SIGTERM (HELLO_EXIT_ON_SIGTERM), abrupt1..abrupt{ABRUPT}. */
    static final int ABRUPT = 3;

    private static SwarmStack stack;

    private final SwarmCluster cluster;
    private final Environment environment = Environment.of("it");
    private final String repository;
    private final TestVersions versions;
    private final String secretKey;
    private final List<String> built = new ArrayList<>();
    private final Path dir;
    private URI url;

    private SwarmStack(SwarmCluster cluster) throws IOException {
        this.cluster = cluster;
        this.repository = cluster.run + "/app";
        this.versions = new TestVersions(SwarmCluster.REGISTRY + "/" + repository, VERSIONS, ABRUPT);
        this.secretKey = "swarm-secret-" + cluster.run + "-key";
        this.dir = Files.createTempDirectory("rinpoche-swarm-stack-");
    }

    /** The stack of this run, deployed on the first call. */
    static synchronized SwarmStack get() {
        if (stack == null) {
            SwarmCluster cluster = SwarmCluster.get();
            try {
                SwarmStack started = new SwarmStack(cluster);
                Runtime.getRuntime().addShutdownHook(new Thread(started::removeImages, "swarm-stack-images"));
                started.deploy();
                stack = started;
            } catch (Exception e) {
                throw new IllegalStateException("cannot deploy the swarm stack", e);
            }
        }
        return stack;
    }

    /** The prefix the engine needs so that {@link #environment()} is this stack. */
    String stackPrefix() {
        return cluster.run;
    }

    String stackName() {
        return cluster.run + "-" + environment.name();
    }

    SwarmCluster cluster() {
        return cluster;
    }

    String secretKey() {
        return secretKey;
    }

    @Override
    public Environment environment() {
        return environment;
    }

    @Override
    public ServiceName service() {
        return ServiceName.of("app");
    }

    @Override
    public URI url() {
        return url;
    }

    @Override
    public TestVersions versions() {
        return versions;
    }

    ImageRef version(int n) {
        return versions.version(n);
    }

    @Override
    public String proxyErrors() {
        return manager("docker", "service", "logs", "--raw", "--tail", "200", stackName() + "_nginx").lines()
                .filter(line -> line.contains("[error]") || line.contains("[warn]")).limit(40)
                .reduce("", (all, line) -> all + line + "\n");
    }

    /**
     * The directory the engine writes nginx's upstream files to ({@code proxy-upstreams}); the stack's nginx, on the
     * manager, reads {@code <it>/it}.
     */
    String upstreams() {
        return cluster.shared().resolve("upstreams").toString();
    }

    /** Runs the docker CLI in the manager. */
    String manager(String... argv) {
        return cluster.in(cluster.manager(), null, argv);
    }

    private void deploy() throws Exception {
        long began = System.nanoTime();
        String nginx = cluster.push("rinpoche/nginx:" + RinpocheImages.tag(), cluster.run + "/nginx:"
                + RinpocheImages.tag());
        buildAndPushImages();
        long pushed = System.nanoTime();
        cluster.in(cluster.manager(), secretKey, "docker", "secret", "create", cluster.run + "-app-secret", "-");
        Path routes = Files.createDirectories(cluster.shared().resolve("routes"));
        Files.writeString(routes.resolve("app.conf"), NGINX_ROUTE);
        Path upstreams = Files.createDirectories(Path.of(upstreams(), environment.name()));
        String compose;
        try (InputStream in = SwarmStack.class.getResourceAsStream("/rollout/swarm-stack.yaml")) {
            compose = new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .replace("@NGINX_IMAGE@", nginx).replace("@APP_IMAGE@", version(1).toString())
                    .replace("@SECRET@", cluster.run + "-app-secret")
                    .replace("@ROUTES@", routes.toString()).replace("@UPSTREAMS@", upstreams.toString());
        }
        cluster.in(cluster.manager(), compose, "docker", "stack", "deploy", "--with-registry-auth", "--detach=true",
                "-c", "-", stackName());
        url = URI.create("http://127.0.0.1:" + cluster.managerPort());
        awaitServing(Duration.ofMinutes(3));
        System.out.printf("swarm stack %s: images built and pushed in %.1f s, deployed and serving in %.1f s%n",
                stackName(), (pushed - began) / 1e9, (System.nanoTime() - pushed) / 1e9);
    }

    // Every replica running and nginx answering with v1.
    private void awaitServing(Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        while (true) {
            String replicas = manager("docker", "service", "ls", "--filter", "name=" + stackName() + "_app",
                    "--format", "{{.Replicas}}").strip();
            boolean serving = false;
            try {
                HttpResponse<String> answer = http.send(HttpRequest.newBuilder(url.resolve("/api/stats"))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                serving = answer.statusCode() == 200 && answer.body().contains("\"v1\"");
            } catch (IOException e) {
                // not yet
            }
            if (serving && replicas.equals("3/3")) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("stack " + stackName() + " not serving within " + timeout + " (app "
                        + replicas + "): " + manager("docker", "service", "ps", "--no-trunc", stackName() + "_app"));
            }
            Thread.sleep(500);
        }
    }

    private void buildAndPushImages() throws Exception {
        String tag = RinpocheImages.tag();
        build("v1", "FROM rinpoche/hello-django:" + tag + "\nUSER root\nRUN mkdir /data && chown app:app /data\n"
                + "USER app\nENV APP_VERSION=v1\nLABEL io.example.version=v1\n");
        versions.buildAll("FROM " + cluster.run + "/app:v1", Map.of(), this::build);
    }

    private void build(String tag, String dockerfile) throws IOException {
        cluster.push(buildImage(tag, dockerfile, Map.of()), repository + ":" + tag);
    }

    /**
     * Builds the host's image {@code <run>/app:<tag>} from {@code dockerfile} and {@code files} (name -> content) beside
     * it, removed when the JVM ends; returns its name, for {@link SwarmCluster#push} to {@link #repository()}.
     */
    String buildImage(String tag, String dockerfile, Map<String, String> files) throws IOException {
        Path context = Files.createDirectories(dir.resolve(tag));
        Files.writeString(context.resolve("Dockerfile"), dockerfile);
        for (Map.Entry<String, String> file : files.entrySet()) {
            Files.writeString(context.resolve(file.getKey()), file.getValue());
        }
        String image = cluster.run + "/app:" + tag;
        synchronized (built) {
            built.add(image);
        }
        Command.docker("build", "-q", "-t", image, context.toString());
        return image;
    }

    /** The app's repository in the cluster's registry, {@code <run>/app}. */
    String repository() {
        return repository;
    }

    /** The image the app's service spec names now ({@code name:tag@sha256:...} once the engine rolled it). */
    String appImage() {
        return manager("docker", "service", "inspect", "-f", "{{.Spec.TaskTemplate.ContainerSpec.Image}}",
                stackName() + "_app").strip();
    }

    /** How many of the app's tasks meant to run are running {@code image} (healthy: Swarm runs a task once its check passes). */
    int tasksRunning(ImageRef image) {
        return (int) manager("docker", "service", "ps", "--no-trunc", "--filter", "desired-state=running",
                "--format", "{{.Image}} {{.CurrentState}}", stackName() + "_app").lines()
                .filter(line -> line.startsWith(image.pinned() + "@") && line.contains(" Running ")).count();
    }

    /**
     * The packaged deploy service ({@link DeployServiceProcess}, not started) with the swarm engine on this stack: the
     * manager's engine, the cluster's registry and login, new tasks healthy within {@code healthTimeout}, its state in
     * {@code dir} pushed to a bare repository created there.
     */
    DeployServiceProcess deployService(Path dir, Duration healthTimeout) throws Exception {
        Git.run(dir, "init", "-q", "--bare", "--initial-branch=main", "remote.git");
        return new DeployServiceProcess(environment.name(), stackPrefix(), dir.resolve("state"), dir.resolve("remote.git"),
                dir.resolve("deploy-service.log"))
                .withEnv(Map.of("RINPOCHE_ENGINE", "swarm", "DOCKER_HOST", cluster.managerHost(),
                        "REGISTRY_ADDRESS", SwarmCluster.REGISTRY, "REGISTRY_USER", SwarmCluster.REGISTRY_USER,
                        "REGISTRY_PASSWORD", cluster.registryPassword(),
                        "REGISTRY_API_URL", "http://" + cluster.hostRegistry()))
                .withArgs("--rinpoche.rollout.swarm.health-timeout=" + healthTimeout.toSeconds() + "s");
    }

    private void removeImages() {
        OwnImages.remove(built);
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
