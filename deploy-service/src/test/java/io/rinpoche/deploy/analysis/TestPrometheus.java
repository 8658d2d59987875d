package io.rinpoche.deploy.analysis;

import io.rinpoche.testing.Command;
import io.rinpoche.testing.RinpocheImages;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A container of the rinpoche/prometheus image (built by {@code ./platform build prometheus} when missing) scraping a
 * port of this host (every second, or as often as asked), published on a random loopback port. {@link #close()}
 * removes it.
 */
public final class TestPrometheus implements AutoCloseable {

    private final String name = "rinpoche-analysis-" + UUID.randomUUID().toString().substring(0, 8);
    private final Path config;
    private final URI url;

    public TestPrometheus(int hostPort) throws IOException, InterruptedException {
        this(hostPort, Duration.ofSeconds(1));
    }

    public TestPrometheus(int hostPort, Duration scrapeInterval) throws IOException, InterruptedException {
        build();
        Path dir = Files.createTempDirectory("rinpoche-analysis", PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwxr-xr-x")));
        config = Files.writeString(dir.resolve("prometheus.yml"), """
                global:
                  scrape_interval: %ds
                scrape_configs:
                  - job_name: edge
                    static_configs:
                      - targets: ["host.docker.internal:%d"]
                """.formatted(scrapeInterval.toSeconds(), hostPort));
        Files.setPosixFilePermissions(config, PosixFilePermissions.fromString("rw-r--r--"));
        Command.docker("run", "-d", "--name", name, "--add-host", "host.docker.internal:host-gateway",
                "-p", "127.0.0.1::9090", "-e", "PROMETHEUS_CONFIG=/etc/rinpoche/prometheus.yml",
                "-v", config + ":/etc/rinpoche/prometheus.yml:ro", "rinpoche/prometheus:" + RinpocheImages.tag());
        String published = Command.docker("port", name, "9090/tcp").get(0);
        url = URI.create("http://" + published.trim());
        awaitReady();
    }

    public URI url() {
        return url;
    }

    /** Stops the container: Prometheus no longer answers. */
    public void stop() {
        Command.docker("stop", "-t", "5", name);
    }

    private void awaitReady() throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        Instant until = Instant.now().plusSeconds(90);
        while (Instant.now().isBefore(until)) {
            try {
                if (http.send(HttpRequest.newBuilder(url.resolve("/-/ready")).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("Prometheus " + name + " not ready within 90 s: "
                + Command.run(Duration.ofSeconds(30), Map.of(), List.of("docker", "logs", "--tail", "30", name)).output());
    }

    // Built by the prometheus module; a lone deploy-service run builds it when missing.
    private static void build() {
        String image = "rinpoche/prometheus:" + RinpocheImages.tag();
        if (Command.run(Duration.ofSeconds(30), Map.of(), List.of("docker", "image", "inspect", image)).exitCode() != 0) {
            Command built = Command.run(Duration.ofMinutes(10), Map.of(),
                    List.of(RinpocheImages.root().resolve("platform").toString(), "build", "prometheus"));
            if (built.exitCode() != 0) {
                throw new IllegalStateException("./platform build prometheus failed: " + built.output());
            }
        }
    }

    @Override
    public void close() throws IOException {
        Command.run(Duration.ofMinutes(1), Map.of(), List.of("docker", "rm", "-f", "-v", name));
        Files.deleteIfExists(config);
        Files.deleteIfExists(config.getParent());
    }
}
