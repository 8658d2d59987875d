package io.rinpoche.compose;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.rinpoche.testing.Command;
import io.rinpoche.testing.RinpocheImages;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `./platform`'s calls to the admin API: the token reaches the deploy service, and while the call is in flight no
 * process's command line (what `ps` shows every local user) holds it.
 */
class PlatformAdminTokenTest {

    private static final String TOKEN = "cli-token-" + Long.toHexString(System.nanoTime()) + "abcdef";

    private final List<String> commandLinesWithToken = new ArrayList<>();
    private final List<String> authorizations = new ArrayList<>();
    private HttpServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    void deployApiSendsTheTokenButNoCommandLineShowsIt(@TempDir Path state) throws IOException {
        Files.writeString(state.resolve("secrets.env"), "ADMIN_TOKEN=" + TOKEN + "\n");
        int port = serveAdminApi();

        Command run = Command.run(Duration.ofSeconds(30),
                Map.of("RINPOCHE_STATE_DIR", state.toString(), "RINPOCHE_BIND", "127.0.0.1", "DEPLOY_PORT", String.valueOf(port)),
                List.of("bash", "-c", "source \"$1\" && deploy_api GET /api/pins/staging", "test",
                        RinpocheImages.root().resolve("platform").toString()));

        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(run.output()).contains("HELLO_DJANGO_IMAGE=x");
        assertThat(authorizations).containsExactly("Bearer " + TOKEN);
        assertThat(commandLinesWithToken).isEmpty();
    }

    /** Answers like the admin API; while it answers, the client (curl) is still running and waiting. */
    private int serveAdminApi() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/api/pins/staging", exchange -> {
            authorizations.add(exchange.getRequestHeaders().getFirst("Authorization"));
            commandLinesWithToken.addAll(commandLinesHolding(TOKEN));
            byte[] body = "HELLO_DJANGO_IMAGE=x\n".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        return server.getAddress().getPort();
    }

    private static List<String> commandLinesHolding(String secret) throws IOException {
        try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
            return processes.filter(p -> p.getFileName().toString().matches("\\d+"))
                    .map(p -> p.resolve("cmdline"))
                    .map(PlatformAdminTokenTest::readQuietly)
                    .filter(line -> line.contains(secret))
                    .toList();
        }
    }

    // A process may end while it is read.
    private static String readQuietly(Path cmdline) {
        try {
            return new String(Files.readAllBytes(cmdline), StandardCharsets.UTF_8).replace('\0', ' ');
        } catch (IOException e) {
            return "";
        }
    }
}
