package io.rinpoche.deploy.rollout.swarm;

import io.rinpoche.deploy.rollout.RolloutException;
import io.rinpoche.deploy.rollout.docker.DockerJson;
import io.rinpoche.deploy.rollout.nginx.Routed;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * One rollout of one swarm service: a {@code service update} of its image, watched until Swarm reports it completed
 * or rolled back.
 *
 * <p>Swarm's own update does most of it, configured by the engine on every rollout: {@code parallelism 1},
 * {@code order start-first} (a new task runs before the old one stops), {@code failure_action rollback} with
 * {@code max_failure_ratio 0} and {@code monitor} (a new task that exits or turns unhealthy within the monitor
 * period rolls the service back, start-first too). Swarm waits for a new task's health check before it counts the
 * task as running, and on stopping a task drops it from the service's DNS answers and waits 2 s for that to spread
 * before the stop signal. What Swarm lacks, measured: a deadline for a task that never turns healthy. A task whose
 * check keeps failing within the image's start period stays {@code starting} as long as that period lasts (60 s
 * and more), and an image no node can pull leaves its task {@code preparing} or {@code pending}, retried without
 * end. So the engine watches the new tasks itself, and rolls back ({@code rollback=previous}) when one has not run
 * healthy within {@code health-timeout}.
 *
 * <p>Where requests go meanwhile is {@link SwarmTraffic}'s: each time the engine reads the tasks (before the update,
 * then on every poll, rollbacks included), it tells the proxy which of them to route to ({@link SwarmUpstreams}).
 */
final class SwarmRollout {

    private static final int LOG_LINES = 3;
    private static final int MAX_TEXT = 400;

    private final SwarmApi api;
    private final SwarmEngineSettings settings;
    private final Clock clock;
    private final String id;
    private final String name;
    private final SwarmTraffic traffic;
    // When the engine first saw each new task not yet running: the start of its health deadline.
    private final Map<String, Instant> waiting = new HashMap<>();

    SwarmRollout(SwarmApi api, SwarmEngineSettings settings, Clock clock, String id, String name, SwarmTraffic traffic) {
        this.api = api;
        this.traffic = traffic;
        this.settings = settings;
        this.clock = clock;
        this.id = id;
        this.name = name;
    }

    /**
     * Updates the service onto {@code image}; empty when every task runs it, else why it was rolled back. The proxy is
     * told where to route first, and finds the tasks by itself again at the end, whatever happened.
     */
    Optional<String> run(String image, Optional<String> auth) {
        return Routed.run(() -> update(image, auth), traffic::end);
    }

    private Optional<String> update(String image, Optional<String> auth) {
        tasks();
        JsonNode service = api.get("/services/" + DockerJson.encode(id));
        ObjectNode spec = (ObjectNode) service.path("Spec").deepCopy();
        ((ObjectNode) spec.path("TaskTemplate").path("ContainerSpec")).put("Image", image);
        spec.set("UpdateConfig", order("rollback"));
        spec.set("RollbackConfig", order("pause"));
        api.post("/services/" + DockerJson.encode(id) + "/update?version=" + version(service), spec,
                auth.map(value -> Map.of("X-Registry-Auth", value)).orElse(Map.of()));
        return watch(image);
    }

    /**
     * After a crash: rolls back an update left {@code updating} or {@code paused} and waits for a rollback under way.
     * Empty when the service is back on its previous spec, else what stands in the way.
     */
    Optional<String> recover(String state) {
        if (!state.equals("rollback_started")) {
            rollBack();
        }
        return rolledBack().map(reason -> "rollback stopped: " + reason);
    }

    // The update's settings the engine relies on; the compose file's other keys (delay...) give way to them.
    private ObjectNode order(String failureAction) {
        return JsonNodeFactory.instance.objectNode().put("Parallelism", 1).put("Delay", 0)
                .put("FailureAction", failureAction).put("Monitor", settings.monitor().toNanos())
                .put("MaxFailureRatio", 0).put("Order", "start-first");
    }

    private Optional<String> watch(String image) {
        while (true) {
            JsonNode service = api.get("/services/" + DockerJson.encode(id));
            String state = service.path("UpdateStatus").path("State").asString("");
            List<JsonNode> tasks = tasks();
            switch (state) {
                case "completed":
                    awaitStopped(task -> !SwarmTasks.image(task).equals(image));
                    return Optional.empty();
                case "rollback_started", "rollback_completed", "rollback_paused":
                    String reason = failure(tasks, image).orElse("Swarm rolled back: "
                            + service.path("UpdateStatus").path("Message").asString());
                    rolledBack().ifPresent(stuck -> {
                        throw new RolloutException(name + ": " + reason + "; then the rollback stopped: " + stuck);
                    });
                    awaitStopped(task -> SwarmTasks.image(task).equals(image));
                    return Optional.of(reason);
                case "paused":
                    String paused = failure(tasks, image).orElse("Swarm paused the update: "
                            + service.path("UpdateStatus").path("Message").asString());
                    return rollBackBecause(paused, image);
                case "":
                    if (allRun(tasks, image)) {
                        awaitStopped(task -> !SwarmTasks.image(task).equals(image));
                        return Optional.empty(); // nothing left to replace: Swarm does not start an update
                    }
                    break;
                default:
                    break;
            }
            Optional<String> late = late(tasks, image);
            if (late.isPresent()) {
                return rollBackBecause(late.get(), image);
            }
            pause(settings.pollInterval());
        }
    }

    private Optional<String> rollBackBecause(String reason, String image) {
        rollBack();
        rolledBack().ifPresent(stuck -> {
            throw new RolloutException(name + ": " + reason + "; then the rollback stopped: " + stuck);
        });
        awaitStopped(task -> SwarmTasks.image(task).equals(image));
        return Optional.of(reason);
    }

    /**
     * Swarm reports an update completed once the last new task runs, while the old tasks it replaced may still be
     * stopping, and answering: a rollout returns only once they are gone. Bounded by the health timeout, since a
     * stop signal an app ignores is Swarm's to enforce (the stop grace period).
     */
    private void awaitStopped(java.util.function.Predicate<JsonNode> replaced) {
        Instant deadline = clock.instant().plus(settings.healthTimeout());
        while (tasks().stream().filter(replaced).anyMatch(SwarmTasks::alive)
                && clock.instant().isBefore(deadline)) {
            pause(settings.pollInterval());
        }
    }

    // Read just before: Swarm bumps the service's version whenever the update's state changes (an older version is
    // refused as out of sequence), and it may have begun rolling back by itself meanwhile.
    private void rollBack() {
        JsonNode service = api.get("/services/" + DockerJson.encode(id));
        if (service.path("UpdateStatus").path("State").asString("").startsWith("rollback_")) {
            return;
        }
        api.post("/services/" + DockerJson.encode(id) + "/update?version=" + version(service) + "&rollback=previous",
                service.path("Spec"), Map.of());
    }

    // Waits for the rollback: empty once it completed, else why it stopped.
    private Optional<String> rolledBack() {
        Instant deadline = clock.instant().plus(settings.healthTimeout().multipliedBy(2));
        while (true) {
            JsonNode status = api.get("/services/" + DockerJson.encode(id)).path("UpdateStatus");
            tasks();
            switch (status.path("State").asString("")) {
                case "rollback_completed":
                    return Optional.empty();
                case "rollback_paused":
                    return Optional.of("Swarm paused it: " + status.path("Message").asString());
                default:
                    if (clock.instant().isAfter(deadline)) {
                        return Optional.of("not completed after " + settings.healthTimeout().multipliedBy(2).toSeconds()
                                + " s (" + status.path("State").asString("no update status") + ")");
                    }
                    pause(settings.pollInterval());
            }
        }
    }

    // The service's tasks now; the proxy is told which of them to route to before they are used.
    private List<JsonNode> tasks() {
        List<JsonNode> tasks = SwarmTasks.all(api, id);
        traffic.follow(tasks);
        return tasks;
    }

    private static boolean allRun(List<JsonNode> tasks, String image) {
        List<JsonNode> meant = tasks.stream().filter(task -> task.path("DesiredState").asString().equals("running")).toList();
        return !meant.isEmpty() && meant.stream().allMatch(task -> SwarmTasks.image(task).equals(image)
                && SwarmTasks.state(task).equals("running"));
    }

    // A new task that has not run healthy within the health timeout.
    private Optional<String> late(List<JsonNode> tasks, String image) {
        Instant now = clock.instant();
        for (JsonNode task : tasks) {
            if (!SwarmTasks.image(task).equals(image) || !task.path("DesiredState").asString().equals("running")
                    || SwarmTasks.state(task).equals("running")) {
                continue;
            }
            Instant since = waiting.computeIfAbsent(task.path("ID").asString(), key -> now);
            if (!now.isBefore(since.plus(settings.healthTimeout()))) {
                return Optional.of("not healthy after " + settings.healthTimeout().toSeconds() + " s: task "
                        + task.path("Slot").asInt() + " on " + node(task) + " still " + SwarmTasks.state(task)
                        + detail(task));
            }
        }
        return Optional.empty();
    }

    // Why a new task failed, from the newest failed one: its exit code and last log lines, or Swarm's error.
    private Optional<String> failure(List<JsonNode> tasks, String image) {
        return tasks.stream()
                .filter(task -> SwarmTasks.image(task).equals(image))
                .filter(task -> List.of("failed", "rejected").contains(SwarmTasks.state(task)))
                .max((a, b) -> a.path("Status").path("Timestamp").asString()
                        .compareTo(b.path("Status").path("Timestamp").asString()))
                .map(this::why);
    }

    private String why(JsonNode task) {
        String error = task.path("Status").path("Err").asString("");
        if (error.contains("unhealthy container")) {
            return "unhealthy: task " + task.path("Slot").asInt() + " on " + node(task) + " (" + error + ")";
        }
        JsonNode exit = task.path("Status").path("ContainerStatus").path("ExitCode");
        if (SwarmTasks.state(task).equals("failed") && exit.isNumber() && exit.asInt() != 0) {
            return "container exited with code " + exit.asInt() + lastLogLines(task);
        }
        return "task " + SwarmTasks.state(task) + " on " + node(task) + ": " + error;
    }

    private static String detail(JsonNode task) {
        String error = task.path("Status").path("Err").asString("");
        String message = task.path("Status").path("Message").asString("");
        return error.isEmpty() ? (message.isEmpty() ? "" : " (" + message + ")") : " (" + error + ")";
    }

    // The last lines before the exit: the last alone is often a summary ("not starting: see above").
    private String lastLogLines(JsonNode task) {
        List<String> lines = api.taskLogs(task.path("ID").asString(), 20).lines().map(String::strip)
                .filter(line -> !line.isEmpty()).toList();
        String last = String.join(" | ", lines.subList(Math.max(0, lines.size() - LOG_LINES), lines.size()))
                .replaceAll("\\p{Cntrl}", "?");
        if (last.length() > MAX_TEXT) {
            last = "..." + last.substring(last.length() - MAX_TEXT);
        }
        return last.isEmpty() ? "" : ": " + last;
    }

    private String node(JsonNode task) {
        String node = task.path("NodeID").asString("");
        if (node.isEmpty()) {
            return "no node yet";
        }
        return api.find("/nodes/" + DockerJson.encode(node), Map.of())
                .map(found -> found.path("Description").path("Hostname").asString(node)).orElse(node);
    }

    private static long version(JsonNode service) {
        return service.path("Version").path("Index").asLong();
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RolloutException("interrupted while watching a swarm update", e);
        }
    }
}
