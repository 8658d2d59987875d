package io.rinpoche.deploy.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rinpoche.deploy.model.Environment;
import io.rinpoche.deploy.model.ImageRef;
import io.rinpoche.deploy.model.ServiceName;
import io.rinpoche.deploy.rollout.RolloutResult.Outcome;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The in-memory history: newest first, paged, bounded, searched back across pages. */
class InMemoryDeploymentHistoryTest {

    private static Deployment deployment(int number) {
        return new Deployment("d" + number, Environment.of("staging"), ServiceName.of("app"),
                ImageRef.parse("hello-django:develop-" + number), null, null, Trigger.hook("registry", "e" + number),
                Outcome.FAILED, Instant.EPOCH.plusSeconds(number), Duration.ZERO, "engine unreachable");
    }

    private static InMemoryDeploymentHistory withEntries(int capacity, int count) {
        InMemoryDeploymentHistory history = new InMemoryDeploymentHistory(capacity);
        for (int i = 1; i <= count; i++) {
            history.append(deployment(i));
        }
        return history;
    }

    @Test
    void pagesNewestFirst() {
        InMemoryDeploymentHistory history = withEntries(100, 5);

        assertThat(history.page(0, 2).items()).extracting(Deployment::id).containsExactly("d5", "d4");
        assertThat(history.page(2, 2).items()).extracting(Deployment::id).containsExactly("d1");
        assertThat(history.page(3, 2).items()).isEmpty();
        assertThat(history.page(1, 2)).satisfies(page -> {
            assertThat(page.total()).isEqualTo(5);
            assertThat(page.page()).isEqualTo(1);
            assertThat(page.size()).isEqualTo(2);
        });
    }

    @Test
    void keepsTheNewestUpToItsCapacity() {
        InMemoryDeploymentHistory history = withEntries(3, 10);

        assertThat(history.page(0, 10).items()).extracting(Deployment::id).containsExactly("d10", "d9", "d8");
        assertThat(history.page(0, 10).total()).isEqualTo(3);
    }

    @Test
    void refusesPagesOutOfRange() {
        InMemoryDeploymentHistory history = withEntries(3, 1);

        assertThatThrownBy(() -> history.page(-1, 20)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> history.page(0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> history.page(0, DeploymentHistory.MAX_PAGE_SIZE + 1))
                .hasMessageContaining("size between 1 and 100");
    }

    @Test
    void findsTheNewestMatchBeyondTheFirstPage() {
        InMemoryDeploymentHistory history = withEntries(1000, 250);

        assertThat(history.newest(d -> d.id().equals("d3"))).get().extracting(Deployment::id).isEqualTo("d3");
        assertThat(history.newest(d -> d.id().startsWith("d2"))).get().extracting(Deployment::id).isEqualTo("d250");
        assertThat(history.newest(d -> d.id().equals("d0"))).isEmpty();
        assertThat(new InMemoryDeploymentHistory(1).newest(d -> true)).isEmpty();
    }
}
