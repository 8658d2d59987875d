package io.rinpoche.nginx;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.GenericContainer;

/**
 * Several apps behind one nginx: the routes of the app catalogue in /etc/nginx/routes replace the single-app
 * server; each host (and prefix) reaches its app, any other host the 404 page, and a reload picks up new routes.
 */
class NginxRoutesIT {

    private static GenericContainer<?> proxy;

    @BeforeAll
    static void start() {
        proxy = RoutedApps.get().proxy;
    }

    @Test
    void eachHostAndPrefixReachesItsApp() throws IOException {
        assertThat(get("shop.example.com", "/")).startsWith("HTTP/1.1 200").contains("backend=shop", "host=shop.example.com");
        assertThat(get("www.example.com", "/")).contains("backend=shop");
        // The app gets the path without its prefix (Django writes its links with URL_PREFIX).
        assertThat(get("www.example.com", "/blog/post?page=2")).contains("backend=blog", "uri=/post?page=2", "host=www.example.com");
        assertThat(get("www.example.com", "/blog")).startsWith("HTTP/1.1 308").contains("Location: http://www.example.com/blog/");
    }

    @Test
    void anUnknownHostGetsTheNotFoundPageAndTheSingleAppServerIsOff() throws Exception {
        assertThat(get("other.example.com", "/")).startsWith("HTTP/1.1 404").contains("no app is served at this address")
                .doesNotContain("backend=");
        assertThat(proxy.execInContainer("ls", "/etc/nginx/conf.d").getStdout()).contains("http.conf").doesNotContain("default.conf");
        assertThat(proxy.getLogs()).contains("servers from /etc/nginx/routes");
    }

    @Test
    void aReloadPicksUpNewRoutes() throws Exception {
        String route = "server { listen 80; server_name new.example.com; location / { set $u http://blog:8000; proxy_pass $u; } }\n";
        proxy.execInContainer("bash", "-c", "printf '%s' '" + route + "' > /etc/nginx/routes/new.conf && nginx -s reload");

        long deadline = System.nanoTime() + 10_000_000_000L;
        String answer = get("new.example.com", "/");
        while (!answer.contains("backend=blog") && System.nanoTime() < deadline) {
            Thread.sleep(100);
            answer = get("new.example.com", "/");
        }
        assertThat(answer).contains("backend=blog");
        assertThat(get("shop.example.com", "/")).contains("backend=shop");
    }

    private static String get(String host, String path) throws IOException {
        return Http.raw(proxy, host, path);
    }
}
