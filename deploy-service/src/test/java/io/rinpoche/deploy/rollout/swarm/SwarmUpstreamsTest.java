package io.rinpoche.deploy.rollout.swarm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/** Which tasks nginx is told to route to, from the task lists a start-first update goes through (no Docker). */
class SwarmUpstreamsTest {

    @Test
    void beforeTheUpdateEveryRunningTaskServes() {
        assertThat(served(task("a1", 1, 0, "running", "running"), task("b1", 2, 0, "running", "running"),
                task("old", 3, 0, "shutdown", "shutdown"))).containsExactly("a1", "b1");
    }

    /** Swarm stops the old task once its replacement runs: it leaves nginx as soon as the replacement exists. */
    @Test
    void anOldTaskLeavesAsSoonAsItsSlotHasANewerTask() {
        JsonNode a1 = task("a1", 1, 0, "running", "running");
        JsonNode b1 = task("b1", 2, 0, "running", "running");

        assertThat(served(a1, b1, task("a2", 1, 5, "running", "preparing"))).containsExactly("b1");
        assertThat(served(a1, b1, task("a2", 1, 5, "running", "running"))).containsExactly("a2", "b1");
        assertThat(served(task("a1", 1, 0, "shutdown", "running"), b1, task("a2", 1, 5, "running", "running")))
                .containsExactly("a2", "b1");
    }

    /** A single replica stays until its replacement runs: nginx is never left without a task. */
    @Test
    void theLastRunningTaskStaysUntilItsReplacementRuns() {
        JsonNode a1 = task("a1", 1, 0, "running", "running");

        assertThat(served(a1, task("a2", 1, 5, "running", "starting"))).containsExactly("a1");
        assertThat(served(a1, task("a2", 1, 5, "running", "running"))).containsExactly("a2");
    }

    /** A failed replacement no longer meant to run gives the old task back its place (a rollback). */
    @Test
    void aReplacementSwarmGaveUpOnDoesNotCount() {
        assertThat(served(task("a1", 1, 0, "running", "running"), task("b1", 2, 0, "running", "running"),
                task("a2", 1, 5, "shutdown", "failed"))).containsExactly("a1", "b1");
    }

    private static List<String> served(JsonNode... tasks) {
        return SwarmUpstreams.serving(List.of(tasks)).stream().map(task -> task.path("ID").asString()).toList();
    }

    private static JsonNode task(String id, int slot, int createdSecond, String desired, String state) {
        var task = JsonNodeFactory.instance.objectNode().put("ID", id).put("Slot", slot)
                .put("CreatedAt", String.format("2026-01-01T10:00:%02d.123456789Z", createdSecond))
                .put("DesiredState", desired);
        task.putObject("Status").put("State", state);
        return task;
    }
}
