package io.rinpoche.deploy.rollout.compose;

import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.exception.NotModifiedException;
import com.github.dockerjava.api.model.Container;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import tools.jackson.databind.JsonNode;

/**
 * What a rollout that was killed, or failed and could not tidy up, leaves in a compose project, found by the labels {@link ComposeRollout} puts on
 * every container it makes, and cleared:
 * <ul>
 *   <li>a probe: removed (it never served);</li>
 *   <li>a replica whose old container is still running: the rollout stopped before the old one was
 *       stopped, so the replica goes (gracefully: it may have answered requests) and the old one serves;</li>
 *   <li>a running replica whose old container is stopped: the old one is removed, as the rollout would have;</li>
 *   <li>neither running: the old one is started again and the replica removed.</li>
 * </ul>
 * The service may then be off its desired image; the reconcile loop rolls it again.
 */
final class Leftovers {

    private static final int DEFAULT_STOP_SECONDS = 10;

    private final DockerApi docker;
    private final String project;

    Leftovers(DockerApi docker, String project) {
        this.docker = docker;
        this.project = project;
    }

    /** Clears what the rollouts whose id {@code ended} accepts left; those of the others are left alone. */
    List<String> clear(Predicate<String> ended) {
        List<String> done = new ArrayList<>();
        List<Container> made = docker.client().listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of(RolloutLabels.PROJECT, project)).exec();
        for (Container container : made) {
            Map<String, String> labels = container.getLabels();
            if (!ended.test(labels.getOrDefault(RolloutLabels.ID, ""))) {
                continue;
            }
            String name = name(container);
            if (RolloutLabels.PROBE.equals(labels.get(RolloutLabels.ROLE))) {
                remove(container.getId());
                done.add("removed probe " + name);
            } else if (RolloutLabels.REPLICA.equals(labels.get(RolloutLabels.ROLE))) {
                docker.findContainer(labels.getOrDefault(RolloutLabels.REPLACES, ""))
                        .ifPresent(old -> done.add(settle(container, old)));
            }
        }
        return done;
    }

    // A replica and the container it was to replace both exist: keep exactly one.
    private String settle(Container replica, JsonNode old) {
        String oldName = old.path("Name").asString().replaceFirst("^/", "");
        boolean replicaRuns = "running".equals(replica.getState());
        if (old.path("State").path("Running").asBoolean()) {
            stop(replica.getId());
            remove(replica.getId());
            return "removed unfinished replica " + name(replica) + "; " + oldName + " serves";
        }
        if (!replicaRuns) {
            docker.client().startContainerCmd(old.path("Id").asString()).exec();
            remove(replica.getId());
            return "restarted " + oldName + " and removed the stopped replica " + name(replica);
        }
        remove(old.path("Id").asString());
        return "removed " + oldName + ", which replica " + name(replica) + " had replaced";
    }

    private void stop(String id) {
        Optional<JsonNode> container = docker.findContainer(id);
        JsonNode timeout = container.map(c -> c.path("Config").path("StopTimeout")).orElse(null);
        int seconds = timeout != null && timeout.isInt() ? timeout.asInt() : DEFAULT_STOP_SECONDS;
        try {
            docker.slowClient().stopContainerCmd(id).withTimeout(seconds).exec();
        } catch (NotModifiedException | NotFoundException alreadyStopped) {
            // Nothing to stop.
        }
    }

    private void remove(String id) {
        try {
            docker.client().removeContainerCmd(id).withForce(true).withRemoveVolumes(false).exec();
        } catch (NotFoundException alreadyGone) {
            // Nothing to remove.
        }
    }

    private static String name(Container container) {
        return container.getNames() == null || container.getNames().length == 0 ? container.getId()
                : container.getNames()[0].replaceFirst("^/", "");
    }
}
