package io.rinpoche.deploy.rollout.compose;

/**
 * Labels the compose engine reads and writes. Every container it creates carries {@link #ID} and
 * {@link #ROLE}, so a reconcile after a crash can tell its leftovers apart: a {@code probe} never
 * outlives its rollout, and a {@code replica} whose {@link #REPLACES} container still exists belongs
 * to a rollout that did not finish.
 */
final class RolloutLabels {

    /** The rollout that created the container. */
    static final String ID = "io.rinpoche.rollout.id";
    /** {@code probe} (health-checks the new image, never in the service's DNS name) or {@code replica}. */
    static final String ROLE = "io.rinpoche.rollout.role";
    /** The compose project and service it was made for (a probe carries no compose labels). */
    static final String PROJECT = "io.rinpoche.rollout.project";
    static final String SERVICE = "io.rinpoche.rollout.service";
    /** The id of the container a replica replaces. */
    static final String REPLACES = "io.rinpoche.rollout.replaces";

    static final String PROBE = "probe";
    static final String REPLICA = "replica";

    /** Compose's own labels: https://github.com/docker/compose/blob/v2.26.1/pkg/api/labels.go */
    static final String COMPOSE = "com.docker.compose.";
    static final String COMPOSE_PROJECT = COMPOSE + "project";
    static final String COMPOSE_SERVICE = COMPOSE + "service";
    static final String COMPOSE_NUMBER = COMPOSE + "container-number";
    static final String COMPOSE_ONEOFF = COMPOSE + "oneoff";
    /** The image id compose compares with the compose file's to decide whether {@code up} recreates. */
    static final String COMPOSE_IMAGE = COMPOSE + "image";
    /** The container this one replaced, as compose writes it on a recreate. */
    static final String COMPOSE_REPLACE = COMPOSE + "replace";

    private RolloutLabels() {
    }
}
