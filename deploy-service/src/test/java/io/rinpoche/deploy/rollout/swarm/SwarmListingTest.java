package io.rinpoche.deploy.rollout.swarm;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.rinpoche.deploy.model.Environment;
import io.rinpoche.deploy.rollout.EngineSettings;
import io.rinpoche.deploy.rollout.ServiceState;
import io.rinpoche.deploy.rollout.registry.RegistryLogin;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * How often a listing asks the registry about an image pinned to no digest, against an in-JVM stand-in for a
 * manager's API (the count of lookups cannot be seen on a real engine; {@code SwarmRolloutEngineIT} lists a real
 * stack, whose nginx is such an image).
 */
class SwarmListingTest {

    private static final String SERVICES = """
            [{"ID":"s-nginx","Spec":{"Name":"rinpoche-production_nginx"}},
             {"ID":"s-app","Spec":{"Name":"rinpoche-production_app"}}]""";
    private static final String NGINX_TASKS = """
            [{"ID":"t1","DesiredState":"running","Status":{"State":"running","Timestamp":"2026-11-27T01:00:00Z"},
              "Spec":{"ContainerSpec":{"Image":"rinpoche/nginx:0.1.0"}}},
             {"ID":"t2","DesiredState":"running","Status":{"State":"running","Timestamp":"2026-11-27T01:00:00Z"},
              "Spec":{"ContainerSpec":{"Image":"rinpoche/nginx:0.1.0"}}}]""";
    private static final String APP_TASKS = """
            [{"ID":"t3","DesiredState":"running","Status":{"State":"running","Timestamp":"2026-11-27T01:00:00Z"},
              "Spec":{"ContainerSpec":{"Image":"registry:5000/team/app:v1@sha256:%s"}}}]""".formatted("ab".repeat(32));

    private final List<String> lookups = new CopyOnWriteArrayList<>();
    private HttpServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    void anImageNoRegistryKnowsIsLookedUpOnceInAWhileNotOnEveryListing() throws IOException {
        MovableClock clock = new MovableClock();
        try (SwarmRolloutEngine engine = new SwarmRolloutEngine(EngineSettings.bind(SwarmEngineSettings.class,
                Map.of("docker-host", "tcp://127.0.0.1:" + start())), RegistryLogin.none(), clock)) {
            Environment production = Environment.of("production");

            for (int i = 0; i < 3; i++) {
                assertThat(engine.services(production)).extracting(ServiceState::service)
                        .extracting(service -> service.name()).containsExactly("app");
            }
            assertThat(lookups).containsExactly("/distribution/rinpoche/nginx:0.1.0/json");

            clock.now = clock.now.plus(SwarmRolloutEngine.UNRESOLVED_RETRY).plusSeconds(1);
            engine.services(production);
            assertThat(lookups).hasSize(2);
        }
    }

    private int start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            String query = String.valueOf(exchange.getRequestURI().getQuery());
            if (path.endsWith("/services")) {
                answer(exchange, 200, SERVICES);
            } else if (path.endsWith("/tasks")) {
                answer(exchange, 200, query.contains("s-nginx") ? NGINX_TASKS : APP_TASKS);
            } else if (path.contains("/distribution/")) {
                lookups.add(path.substring(path.indexOf("/distribution/")));
                answer(exchange, 404, "{\"message\":\"pull access denied for rinpoche/nginx\"}");
            } else {
                answer(exchange, 404, "{\"message\":\"page not found\"}");
            }
        });
        server.start();
        return server.getAddress().getPort();
    }

    private static void answer(HttpExchange exchange, int status, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }

    /** A clock the test moves on. */
    private static final class MovableClock extends Clock {
        private Instant now = Instant.parse("2026-11-27T02:00:00Z");

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
