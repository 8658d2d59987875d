package io.rinpoche.deploy.state;

import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code rinpoche.state}: where the desired state lives.
 *
 * @param directory the bare repository, created on first start (/var/lib/rinpoche/state, the data volume)
 * @param reconcileInterval how often running services are compared with their pins (and the remote pulled)
 * @param remote the shared repository to pull from and push to; none when its url is empty
 */
@ConfigurationProperties("rinpoche.state")
public record StateProperties(@DefaultValue("/var/lib/rinpoche/state") Path directory,
                              @DefaultValue("30s") Duration reconcileInterval,
                              @DefaultValue Remote remote) {

    /**
     * @param url e.g. https://gitlab.example.com/team/rinpoche-state.git, or a path to a bare repository
     * @param username the user, or for a token any name GitLab accepts with it (oauth2)
     * @param password the password or access token (a secret: from the environment, never from this file)
     */
    public record Remote(@DefaultValue("") String url, @DefaultValue("") String username,
                         @DefaultValue("") String password, @DefaultValue("30s") Duration timeout) {

        /** The remote, or null when none is configured. */
        public StateRemote create() {
            return url.isBlank() ? null : new StateRemote(url, username, password, timeout);
        }

        @Override
        public String toString() {
            return "Remote[url=" + url + ", username=" + username + ", password=" + (password.isEmpty() ? "" : "***")
                    + ", timeout=" + timeout + "]";
        }
    }

    public StateProperties {
        if (reconcileInterval.isNegative() || reconcileInterval.isZero()) {
            throw new IllegalArgumentException("rinpoche.state.reconcile-interval must be positive, not "
                    + reconcileInterval);
        }
    }
}
