package io.rinpoche.deploy.rollout.swarm;

import io.rinpoche.deploy.rollout.ServiceState;
import io.rinpoche.deploy.rollout.docker.DockerJson;
import java.util.List;
import tools.jackson.databind.JsonNode;

/** A service's tasks, as the manager lists them ({@code GET /tasks}). */
final class SwarmTasks {

    private SwarmTasks() {
    }

    /** Every task of the service. */
    static List<JsonNode> all(SwarmApi api, String serviceId) {
        String filter = "{\"service\":[\"" + serviceId + "\"]}";
        return api.get("/tasks?filters=" + DockerJson.encode(filter)).valueStream().toList();
    }

    /** The tasks Swarm means to run (desired state running): one per replica, plus a start-first update's new one. */
    static List<JsonNode> meantToRun(SwarmApi api, String serviceId) {
        return all(api, serviceId).stream().filter(task -> task.path("DesiredState").asString().equals("running")).toList();
    }

    static String state(JsonNode task) {
        return task.path("Status").path("State").asString("");
    }

    static String image(JsonNode task) {
        return task.path("Spec").path("ContainerSpec").path("Image").asString("");
    }

    /** True while a task's container may run: not yet in a final state (complete, shutdown, failed, rejected...). */
    static boolean alive(JsonNode task) {
        return health(task) != ServiceState.Health.STOPPED;
    }

    /**
     * A task's health. Swarm reports a task whose image has a health check as {@code starting} until the check
     * passes, {@code running} only after, and fails the task when it turns unhealthy: a running task is healthy.
     * Whether an image has a check at all is known only on the node that runs it, so {@code NO_HEALTHCHECK} is
     * never reported.
     */
    static ServiceState.Health health(JsonNode task) {
        return switch (state(task)) {
            case "running" -> ServiceState.Health.HEALTHY;
            case "new", "pending", "assigned", "accepted", "preparing", "ready", "starting" -> ServiceState.Health.STARTING;
            default -> ServiceState.Health.STOPPED;
        };
    }
}
