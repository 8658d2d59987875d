package io.rinpoche.deploy.rollout.compose;

import com.github.dockerjava.api.model.Container;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/** The containers of one service of a compose project, found by compose's labels. */
final class ServiceContainers {

    private final DockerApi docker;
    private final String project;
    private final String name;

    ServiceContainers(DockerApi docker, String project, String name) {
        this.docker = docker;
        this.project = project;
        this.name = name;
    }

    String project() {
        return project;
    }

    String name() {
        return name;
    }

    /** The running replicas (not {@code compose run} one-offs), by container number. */
    List<Container> running() {
        return list(false);
    }

    /** One more than the highest container number in use, stopped containers included: compose's next number. */
    int nextNumber() {
        return list(true).stream().mapToInt(ServiceContainers::number).max().orElse(0) + 1;
    }

    private List<Container> list(boolean all) {
        return docker.client().listContainersCmd().withShowAll(all)
                .withLabelFilter(Map.of(RolloutLabels.COMPOSE_PROJECT, project, RolloutLabels.COMPOSE_SERVICE, name,
                        RolloutLabels.COMPOSE_ONEOFF, "False"))
                .exec().stream()
                .sorted(Comparator.comparingInt(ServiceContainers::number))
                .toList();
    }

    static int number(Container container) {
        String number = container.getLabels().getOrDefault(RolloutLabels.COMPOSE_NUMBER, "0");
        return number.matches("[0-9]{1,9}") ? Integer.parseInt(number) : 0;
    }

    @Override
    public String toString() {
        return "service '" + name + "' of compose project '" + project + "'";
    }
}
