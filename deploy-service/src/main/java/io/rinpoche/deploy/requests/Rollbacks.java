package io.rinpoche.deploy.requests;

import io.rinpoche.deploy.history.Deployment;
import io.rinpoche.deploy.history.DeploymentHistory;
import io.rinpoche.deploy.model.Environment;
import io.rinpoche.deploy.model.ImageRef;
import io.rinpoche.deploy.model.ServiceName;
import io.rinpoche.deploy.rollout.ImageVersion;

/**
 * Where a rollback goes, from the history: by default the image the service's newest deployment replaced
 * (so two rollbacks in a row go back and forth, like {@code kubectl rollout undo}); or an image the service
 * ran before, named by digest.
 */
public final class Rollbacks {

    private final DeploymentHistory history;

    public Rollbacks(DeploymentHistory history) {
        this.history = history;
    }

    /** The image to put {@code service} of {@code environment} back on. */
    public ImageRef target(Environment environment, ServiceName service) {
        Deployment last = history.newest(deployment -> deployment.deployed(environment, service))
                .orElseThrow(() -> new NothingToRollBackException("nothing to roll back to: the history holds no"
                        + " deployment of " + environment + "/" + service));
        return pinned(last.from(), environment, service);
    }

    /**
     * {@code to}, once the history shows that {@code service} of {@code environment} ran it (as what a deployment
     * replaced or deployed). It must name a digest: a rollback puts back exactly what ran.
     */
    public ImageRef target(Environment environment, ServiceName service, ImageRef to) {
        if (to.digest() == null) {
            throw new IllegalArgumentException("'to' must name a digest (name@sha256:...), not " + to);
        }
        history.newest(deployment -> deployment.deployed(environment, service) && ran(deployment, to))
                .orElseThrow(() -> new NothingToRollBackException("cannot roll back to " + to + ": the history shows no"
                        + " deployment of " + environment + "/" + service + " from or to " + to.digest()));
        return to;
    }

    private static boolean ran(Deployment deployment, ImageRef image) {
        return image.digest().equals(deployment.from().digest()) || image.digest().equals(deployment.to().digest());
    }

    // The reference as the engine reported it (it may carry only a tag), pinned to the digest that ran.
    static ImageRef pinned(ImageVersion version, Environment environment, ServiceName service) {
        try {
            ImageRef ref = ImageRef.parse(version.reference());
            return ref.digest() != null ? ref : ref.withDigest(version.digest());
        } catch (IllegalArgumentException e) {
            throw new NothingToRollBackException("cannot roll back " + environment + "/" + service + ": the previous"
                    + " image '" + version.reference() + "' is not a reference the engine can pull (" + e.getMessage()
                    + ")");
        }
    }
}
