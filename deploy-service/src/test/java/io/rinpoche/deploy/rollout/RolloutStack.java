package io.rinpoche.deploy.rollout;

import io.rinpoche.deploy.model.Environment;
import io.rinpoche.deploy.model.ImageRef;
import io.rinpoche.deploy.model.ServiceName;
import java.net.URI;

/**
 * What {@link RolloutEngineContract} runs against: one environment whose {@link #service()} answers
 * {@code GET /api/stats} with {@code {"version": ...}} behind a proxy at {@link #url()}, and images of it.
 */
public interface RolloutStack {

    /**
     * The app's route as the catalogue generates them (rinpoche/nginx in /etc/nginx/routes/app.conf): its name per
     * request, unless the engine wrote upstream files for it into /etc/nginx/upstreams.
     */
    String NGINX_ROUTE = """
            include /etc/nginx/upstreams/*.upstream;
            server {
                listen 80 default_server;
                location / {
                    keepalive_timeout 0;
                    set $app_upstream http://app:8000;
                    include /etc/nginx/upstreams/app[.]route;
                    proxy_pass $app_upstream;
                }
                location = /nginx-health {
                    access_log off;
                    return 200 "ok\\n";
                }
            }
            """;

    Environment environment();

    ServiceName service();

    /** The proxy in front of the service. */
    URI url();

    /** The versions of the app built for it. */
    TestVersions versions();

    /** A healthy image not deployed yet; its app reports {@link #versionOf} it. Each call gives another. */
    default ImageRef nextVersion() {
        return versions().next();
    }

    /** The version the app in {@code image} reports: its tag. */
    default String versionOf(ImageRef image) {
        return image.tag();
    }

    /**
     * A healthy image not deployed yet whose app exits at once on SIGTERM, dropping its requests in flight (the
     * example app's benchmark mode). Each call gives another.
     */
    default ImageRef nextVersionThatExitsOnSigterm() {
        return versions().nextThatExitsOnSigterm();
    }

    /** An image whose health check never passes (its app would answer, with another version). */
    default ImageRef unhealthy() {
        return versions().tagged("unhealthy");
    }

    /** An image whose process exits with code 1 at start. */
    default ImageRef exitsAtStart() {
        return versions().tagged("exits");
    }

    /** The proxy's error log lines, to explain a failed request. */
    default String proxyErrors() {
        return "";
    }
}
