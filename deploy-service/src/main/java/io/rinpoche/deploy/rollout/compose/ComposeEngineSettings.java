package io.rinpoche.deploy.rollout.compose;

import io.rinpoche.deploy.model.Environment;
import io.rinpoche.deploy.rollout.docker.DockerEndpoint;
import java.time.Duration;
import java.util.regex.Pattern;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration of the compose engine ({@code rinpoche.rollout.compose.*}); a missing value takes the
 * default shown.
 *
 * @param dockerHost the Docker engine: {@code unix:///var/run/docker.sock} or {@code tcp://host:2376}
 *     (set it from {@code DOCKER_HOST} in the configuration, not here)
 * @param dockerCertPath a directory with {@code ca.pem}, {@code cert.pem}, {@code key.pem}: TLS to a
 *     {@code tcp://} engine; none by default
 * @param projectPrefix environment {@code production} is compose project {@code <prefix>-production}
 *     ({@code rinpoche})
 * @param healthTimeout how long a new container may take to turn healthy (60 s)
 * @param dnsRefresh how long a proxy may keep an old answer for the service's name, plus a margin (4 s:
 *     rinpoche/nginx caches it for 2 s; an answer may be slow to come on a busy host). An old container
 *     stops only once every cached answer includes its replacement
 * @param readyWithoutHealthcheck an image without a health check counts as ready after running this
 *     long (5 s)
 * @param pollInterval how often a starting container is inspected (50 ms: each poll is one inspect, and the
 *     replica is waited for only so much longer than its own time-to-healthy)
 * @param pullTimeout the longest an image pull may take (10 min)
 * @param apiTimeout the longest any other Docker API call may take, so that an engine that stops answering fails a
 *     rollout instead of holding its lane forever (30 s; stopping a container may take its stop timeout on top)
 * @param proxyUpstreams a directory where the engine tells each environment's proxy which replicas to route to
 *     ({@code <dir>/<environment>/<service>.upstream} and {@code .route}, see {@link NginxUpstreams}); none by default,
 *     and then a rollout proves the image with a probe first and waits out the proxy's DNS cache instead (the
 *     engine before pins, which still loses requests when an app drops them on SIGTERM)
 * @param proxyService the proxy's compose service in each environment ({@code nginx})
 * @param appPort the port the apps listen on, where the proxy sends requests ({@code 8000})
 * @param drainTimeout how long the proxy may take to finish the requests in flight to a replica before it is
 *     stopped anyway (60 s, nginx's default read timeout)
 */
@ConfigurationProperties("rinpoche.rollout.compose")
public record ComposeEngineSettings(String dockerHost, String dockerCertPath, String projectPrefix,
                                    Duration healthTimeout, Duration dnsRefresh,
                                    Duration readyWithoutHealthcheck, Duration pollInterval,
                                    Duration pullTimeout, Duration apiTimeout, String proxyUpstreams,
                                    String proxyService, Integer appPort, Duration drainTimeout) {

    private static final Pattern PREFIX = Pattern.compile("[a-z0-9][a-z0-9_-]{0,30}");

    public ComposeEngineSettings {
        dockerHost = dockerHost == null || dockerHost.isBlank() ? "unix:///var/run/docker.sock" : dockerHost;
        dockerCertPath = dockerCertPath == null || dockerCertPath.isBlank() ? null : dockerCertPath;
        projectPrefix = projectPrefix == null ? "rinpoche" : projectPrefix;
        healthTimeout = positive("health-timeout", healthTimeout, Duration.ofSeconds(60));
        dnsRefresh = dnsRefresh == null ? Duration.ofMillis(4000) : dnsRefresh;
        readyWithoutHealthcheck = positive("ready-without-healthcheck", readyWithoutHealthcheck, Duration.ofSeconds(5));
        pollInterval = positive("poll-interval", pollInterval, Duration.ofMillis(50));
        pullTimeout = positive("pull-timeout", pullTimeout, Duration.ofMinutes(10));
        apiTimeout = positive("api-timeout", apiTimeout, Duration.ofSeconds(30));
        proxyUpstreams = proxyUpstreams == null || proxyUpstreams.isBlank() ? null : proxyUpstreams;
        proxyService = proxyService == null || proxyService.isBlank() ? "nginx" : proxyService;
        appPort = appPort == null ? 8000 : appPort;
        drainTimeout = positive("drain-timeout", drainTimeout, Duration.ofSeconds(60));
        if (appPort < 1 || appPort > 65535) {
            throw new IllegalArgumentException("rinpoche.rollout.compose.app-port must be a port (1-65535), not " + appPort);
        }
        if (!PREFIX.matcher(projectPrefix).matches()) {
            throw new IllegalArgumentException("rinpoche.rollout.compose.project-prefix '" + projectPrefix
                    + "' is not a compose project name prefix (lower-case letters, digits, '-', '_')");
        }
        if (dnsRefresh.isNegative()) {
            throw new IllegalArgumentException("rinpoche.rollout.compose.dns-refresh must not be negative");
        }
    }

    /** The engine these settings name, as a failure names it. */
    public DockerEndpoint endpoint() {
        return new DockerEndpoint(dockerHost, dockerCertPath, "the Docker engine");
    }

    /** Every default: the local socket, prefix {@code rinpoche}. */
    public static ComposeEngineSettings defaults() {
        return new ComposeEngineSettings(null, null, null, null, null, null, null, null, null, null, null, null, null);
    }

    /** The compose project that holds {@code environment}'s stack. */
    public String project(Environment environment) {
        return projectPrefix + "-" + environment.name();
    }

    private static Duration positive(String name, Duration value, Duration fallback) {
        if (value == null) {
            return fallback;
        }
        if (value.isZero() || value.isNegative()) {
            throw new IllegalArgumentException("rinpoche.rollout.compose." + name + " must be positive, not " + value);
        }
        return value;
    }
}
