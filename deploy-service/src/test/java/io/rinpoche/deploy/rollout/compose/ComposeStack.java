package io.rinpoche.deploy.rollout.compose;

import io.rinpoche.deploy.model.Environment;
import io.rinpoche.deploy.model.ImageRef;
import io.rinpoche.deploy.rollout.TestVersions;
import io.rinpoche.deploy.model.ServiceName;
import io.rinpoche.deploy.rollout.RolloutStack;
import io.rinpoche.testing.Command;
import io.rinpoche.testing.OwnImages;
import io.rinpoche.testing.RinpocheImages;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A compose project of its own (unique name, nginx on a random loopback port) running
 * {@code src/test/resources/rollout/compose.yaml}, and the app images the tests roll it onto: tiny
 * images derived from rinpoche/hello-django, built once with the docker CLI. {@link #close()} removes
 * the project, its volume, anything a rollout left and the images.
 */
final class ComposeStack implements RolloutStack, AutoCloseable {

    /** Good versions v2..v{VERSIONS}, beside v1 which the stack starts on. */
    static final int VERSIONS = 20;
    /** Good versions whose app exits at once on SIGTERM (HELLO_EXIT_ON_SIGTERM), abrupt1..abrupt{ABRUPT}. */
    static final int ABRUPT = 6;

    private final String run = "rro" + HexFormat.of().formatHex(ByteBuffer.allocate(4).putInt(new SecureRandom().nextInt()).array());
    private final Environment environment = Environment.of("it");
    private final String repository = "rinpoche-rollout-test/" + run;
    private final TestVersions versions = new TestVersions(repository, VERSIONS, ABRUPT);
    private final Path dir;
    // app's secret key, the content of its compose secret (a file in dir).
    private final String secretKey = "file-secret-" + run + "-key";
    private final List<String> images = new ArrayList<>();
    private URI url;

    private ComposeStack() throws IOException {
        dir = Files.createTempDirectory("rinpoche-rollout-");
    }

    /** Builds the images and brings the stack up, healthy; on failure removes what it made. */
    static ComposeStack start() throws Exception {
        ComposeStack stack = new ComposeStack();
        try {
            stack.buildImages();
            stack.up();
            return stack;
        } catch (Exception | Error e) {
            stack.close();
            throw e;
        }
    }

    /** The directory the engine writes nginx's upstream files to ({@code proxy-upstreams}); nginx reads {@code <it>/it}. */
    String upstreams() {
        return dir.resolve("upstreams").toString();
    }

    /** The prefix the engine needs so that {@link #environment()} is this stack's compose project. */
    String projectPrefix() {
        return run;
    }

    String project() {
        return run + "-" + environment.name();
    }

    /** The folder of its compose file and of app's secret file (bind-mounted into app's containers). */
    Path directory() {
        return dir;
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

    /** nginx's error log lines (nginx logs errors to stderr, which compose collects). */
    @Override
    public String proxyErrors() {
        return compose("logs", "--no-color", "--no-log-prefix", "nginx").lines()
                .filter(line -> line.contains("[error]") || line.contains("[warn]")).limit(40)
                .reduce("", (all, line) -> all + line + "\n");
    }

    /** An image whose second container exits with code 3 at start: the second replica of worker. */
    ImageRef secondContainerExits() {
        return versions.tagged("second-exits");
    }

    /** An image that prints app's secret key (from its file) and exits 4, as an app printing its settings might. */
    ImageRef printsItsSecretAndExits() {
        return versions.tagged("prints-secret");
    }

    /** The content of app's secret file. */
    String secretKey() {
        return secretKey;
    }

    /** {@code docker compose -p <project> -f compose.yaml <args>}; fails unless it exits 0. */
    String compose(String... args) {
        List<String> argv = composeCommand();
        argv.addAll(List.of(args));
        Command result = Command.run(Duration.ofMinutes(3), composeVariables(), argv);
        if (result.exitCode() != 0) {
            throw new IllegalStateException(String.join(" ", argv) + " failed: " + result.output());
        }
        return result.output();
    }

    private Map<String, String> composeVariables() {
        return Map.of("RINPOCHE_TAG", RinpocheImages.tag(), "APP_IMAGE", version(1).toString());
    }

    private List<String> composeCommand() {
        return new ArrayList<>(List.of("docker", "compose", "-p", project(), "-f", dir.resolve("compose.yaml").toString()));
    }

    private void buildImages() throws Exception {
        String tag = RinpocheImages.tag();
        // Built by the image modules; a lone `mvn -f deploy-service/pom.xml verify` builds them when missing.
        for (String base : List.of("nginx", "hello-django")) {
            if (Command.run(Duration.ofSeconds(30), Map.of(), List.of("docker", "image", "inspect", "rinpoche/" + base + ":" + tag))
                    .exitCode() != 0) {
                Command built = Command.run(Duration.ofMinutes(10), Map.of(),
                        List.of(RinpocheImages.root().resolve("platform").toString(), "build", base));
                if (built.exitCode() != 0) {
                    throw new IllegalStateException("./platform build " + base + " failed: " + built.output());
                }
            }
        }
        // v1 gives the app directories the volumes mounted there inherit (owner app): /data for app's sqlite
        // file, /slots for worker's replicas to count themselves.
        build("v1", "FROM rinpoche/hello-django:" + tag + "\nUSER root\nRUN mkdir /data /slots && chown app:app /data /slots\n"
                + "USER app\nENV APP_VERSION=v1\nLABEL io.example.version=v1\n");
        versions.buildAll("FROM " + version(1), Map.of(
                "prints-secret", "ENV APP_VERSION=prints-secret\n"
                        + "CMD [\"sh\", \"-c\", \"echo settings: SECRET_KEY=$(cat $DJANGO_SECRET_KEY_FILE) >&2; exit 4\"]\n",
                // Each container of it takes the next free slot on worker's volume; the second (replica 2 of
                // worker) exits with code 3 instead of starting the app.
                "second-exits", "ENV APP_VERSION=second-exits\n"
                        + "CMD [\"sh\", \"-c\", \"for n in 1 2 3 4 5 6 7 8; do mkdir /slots/$n 2>/dev/null && break; done; "
                        + "if [ $n -gt 1 ]; then echo slot $n: this image fails on its second container >&2; exit 3; fi; "
                        + "exec rinpoche-entrypoint\"]\n"), this::build);
    }

    private void build(String tag, String dockerfile) throws IOException {
        Path context = Files.createDirectories(dir.resolve("images").resolve(tag));
        Files.writeString(context.resolve("Dockerfile"), dockerfile);
        String image = repository + ":" + tag;
        synchronized (images) {
            images.add(image);
        }
        Command.docker("build", "-q", "-t", image, context.toString());
    }

    private void up() throws IOException {
        try (InputStream compose = ComposeStack.class.getResourceAsStream("/rollout/compose.yaml")) {
            Files.write(dir.resolve("compose.yaml"), compose.readAllBytes());
        }
        Files.writeString(dir.resolve("app-secret-key"), secretKey);
        Files.createDirectories(dir.resolve("upstreams").resolve(environment.name()));
        Files.createDirectories(dir.resolve("routes"));
        Files.writeString(dir.resolve("routes").resolve("app.conf"), RolloutStack.NGINX_ROUTE);
        compose("up", "-d", "--wait", "--quiet-pull");
        String published = compose("port", "nginx", "80").strip();
        url = URI.create("http://" + published.substring(published.lastIndexOf('\n') + 1));
    }

    @Override
    public void close() {
        if (Files.exists(dir.resolve("compose.yaml"))) {
            List<String> down = composeCommand();
            down.addAll(List.of("down", "--volumes", "--remove-orphans", "--timeout", "2"));
            Command.run(Duration.ofMinutes(2), composeVariables(), down);
        }
        // Probes carry no compose labels: a failed test may have left one.
        List<String> leftovers = Command.docker("ps", "-aq", "--filter", "label=" + RolloutLabels.PROJECT + "=" + project());
        if (!leftovers.isEmpty()) {
            List<String> rm = new ArrayList<>(List.of("rm", "-f"));
            rm.addAll(leftovers);
            Command.docker(rm.toArray(String[]::new));
        }
        // By the names it built, never forced: an image a container outside the test uses stays.
        OwnImages.remove(images);
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
