package io.rinpoche.deploy.rollout.swarm;

import io.rinpoche.deploy.model.Environment;
import io.rinpoche.deploy.rollout.docker.DockerEndpoint;
import java.time.Duration;
import java.util.regex.Pattern;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration of the swarm engine ({@code rinpoche.rollout.swarm.*}); a missing value takes the default shown.
 *
 * @param dockerHost a manager's Docker engine: {@code unix:///var/run/docker.sock} or {@code tcp://host:2376}
 * @param dockerCertPath a directory with {@code ca.pem}, {@code cert.pem}, {@code key.pem}: TLS to a {@code tcp://}
 *     engine; none by default
 * @param stackPrefix environment {@code production} is the stack {@code <prefix>-production} ({@code rinpoche}), as
 *     {@code docker stack deploy} names it: services {@code <stack>_<service>}, label
 *     {@code com.docker.stack.namespace}
 * @param healthTimeout how long a new task may take to run healthy before the engine rolls back (60 s)
 * @param monitor how long Swarm watches each updated task for a failure before it updates the next one (2 s)
 * @param pollInterval how often the service's update status is read (250 ms)
 * @param apiTimeout the longest one Docker API call may take (30 s)
 * @param proxyUpstreams a directory where the engine tells each environment's proxy which tasks to route to
 *     ({@code <dir>/<environment>/<service>.upstream} and {@code .route}, see {@link SwarmUpstreams}); none by default,
 *     and then nginx finds the tasks by DNS alone, and a request in flight to a stopping task may fail
 * @param proxyService the proxy's service in each stack ({@code nginx}: {@code <stack>_nginx}); its tasks must run on
 *     the manager the engine talks to, which sends them SIGHUP
 * @param appPort the port the apps listen on, where the proxy sends requests ({@code 8000})
 * @param drainTimeout how long the proxy may take to finish the requests in flight to a task before Swarm may stop
 *     it anyway (60 s, nginx's default read timeout)
 */
@ConfigurationProperties("rinpoche.rollout.swarm")
public record SwarmEngineSettings(String dockerHost, String dockerCertPath, String stackPrefix, Duration healthTimeout,
                                  Duration monitor, Duration pollInterval, Duration apiTimeout, String proxyUpstreams,
                                  String proxyService, Integer appPort, Duration drainTimeout) {

    private static final Pattern PREFIX = Pattern.compile("[a-z0-9][a-z0-9_-]{0,30}");

    public SwarmEngineSettings {
        dockerHost = dockerHost == null || dockerHost.isBlank() ? "unix:///var/run/docker.sock" : dockerHost;
        dockerCertPath = dockerCertPath == null || dockerCertPath.isBlank() ? null : dockerCertPath;
        stackPrefix = stackPrefix == null ? "rinpoche" : stackPrefix;
        healthTimeout = positive("health-timeout", healthTimeout, Duration.ofSeconds(60));
        monitor = positive("monitor", monitor, Duration.ofSeconds(2));
        pollInterval = positive("poll-interval", pollInterval, Duration.ofMillis(250));
        apiTimeout = positive("api-timeout", apiTimeout, Duration.ofSeconds(30));
        proxyUpstreams = proxyUpstreams == null || proxyUpstreams.isBlank() ? null : proxyUpstreams;
        proxyService = proxyService == null || proxyService.isBlank() ? "nginx" : proxyService;
        appPort = appPort == null ? 8000 : appPort;
        drainTimeout = positive("drain-timeout", drainTimeout, Duration.ofSeconds(60));
        if (appPort < 1 || appPort > 65535) {
            throw new IllegalArgumentException("rinpoche.rollout.swarm.app-port must be a port (1-65535), not " + appPort);
        }
        if (!PREFIX.matcher(stackPrefix).matches()) {
            throw new IllegalArgumentException("rinpoche.rollout.swarm.stack-prefix '" + stackPrefix
                    + "' is not a stack name prefix (lower-case letters, digits, '-', '_')");
        }
    }

    /** The engine these settings name, as a failure names it. */
    public DockerEndpoint endpoint() {
        return new DockerEndpoint(dockerHost, dockerCertPath, "the swarm manager's Docker engine");
    }

    /** Every default: the local socket, prefix {@code rinpoche}. */
    public static SwarmEngineSettings defaults() {
        return new SwarmEngineSettings(null, null, null, null, null, null, null, null, null, null, null);
    }

    /** The stack that holds {@code environment}. */
    public String stack(Environment environment) {
        return stackPrefix + "-" + environment.name();
    }

    private static Duration positive(String name, Duration value, Duration fallback) {
        if (value == null) {
            return fallback;
        }
        if (value.isZero() || value.isNegative()) {
            throw new IllegalArgumentException("rinpoche.rollout.swarm." + name + " must be positive, not " + value);
        }
        return value;
    }
}
