package io.rinpoche.deploy.rollout.docker;

import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import com.github.dockerjava.transport.DockerHttpClient;
import io.rinpoche.deploy.rollout.RolloutException;
import io.rinpoche.deploy.rollout.TransientRolloutException;
import java.io.IOException;
import java.time.Duration;

/**
 * A Docker engine as both engines reach it: its address ({@code unix://} or {@code tcp://}, TLS when a certificate
 * directory is given), transports whose every call has a response timeout (docker-java's default is none: an engine
 * that accepts and never answers would hold the caller forever), and what a failed call says.
 *
 * @param host     the engine's address, e.g. {@code unix:///var/run/docker.sock}
 * @param certPath a directory with {@code ca.pem}, {@code cert.pem}, {@code key.pem}, or null
 * @param what     how a failure names the engine, e.g. "the Docker engine"
 */
public record DockerEndpoint(String host, String certPath, String what) {

    /** docker-java's configuration of this engine. */
    public DefaultDockerClientConfig config() {
        DefaultDockerClientConfig.Builder builder = new DefaultDockerClientConfig.Builder()
                .withDockerHost(host)
                .withDockerTlsVerify(certPath != null);
        if (certPath != null) {
            builder.withDockerCertPath(certPath);
        }
        return builder.build();
    }

    /** A transport whose calls connect within 5 s and are answered within {@code responseTimeout}. */
    public DockerHttpClient transport(Duration responseTimeout, int maxConnections) {
        DefaultDockerClientConfig config = config();
        return new ApacheDockerHttpClient.Builder()
                .dockerHost(config.getDockerHost())
                .sslConfig(config.getSSLConfig())
                .connectionTimeout(Duration.ofSeconds(5))
                .responseTimeout(responseTimeout)
                .maxConnections(maxConnections)
                .build();
    }

    /**
     * The failure of a call about {@code subject}: transient (worth another try) when the engine could not be
     * reached, which docker-java reports as a RuntimeException around an IOException.
     */
    public RolloutException failure(String subject, RuntimeException e) {
        return unreachable(e) ? new TransientRolloutException(subject + ": " + describe(e), e)
                : new RolloutException(subject + ": " + describe(e), e);
    }

    /** What went wrong, naming the engine when it could not be reached. */
    public String describe(RuntimeException e) {
        return unreachable(e) ? "cannot reach " + what + " at " + host + ": " + root(e).getMessage() : e.getMessage();
    }

    private static boolean unreachable(Throwable e) {
        return root(e) instanceof IOException;
    }

    private static Throwable root(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root;
    }
}
