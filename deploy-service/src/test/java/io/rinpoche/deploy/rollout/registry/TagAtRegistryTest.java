package io.rinpoche.deploy.rollout.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rinpoche.deploy.model.DeployRequest;
import io.rinpoche.deploy.model.Digest;
import io.rinpoche.deploy.model.Environment;
import io.rinpoche.deploy.model.ImageRef;
import io.rinpoche.deploy.model.ServiceName;
import io.rinpoche.deploy.rollout.RolloutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A hook may outrun its tag at the registry by a little: asked again every 100 ms for 1 s, then refused. */
class TagAtRegistryTest {

    private static final Digest PUSHED = Digest.parse("sha256:" + "a".repeat(64));
    private static final Digest BEFORE = Digest.parse("sha256:" + "b".repeat(64));
    private static final DeployRequest REQUEST = new DeployRequest(Environment.of("staging"), ServiceName.of("app"),
            ImageRef.parse("127.0.0.1:5000/app:develop-1@" + PUSHED));

    @Test
    void aTagThatMovesSoonIsSeenWithinAPoll() {
        AtomicInteger asked = new AtomicInteger();
        TagAtRegistry.require(image -> asked.incrementAndGet() < 3 ? BEFORE : PUSHED, REQUEST);
        assertThat(asked).hasValue(3); // once, then a poll per 100 ms: not one look after a whole second
    }

    @Test
    void aTagThatPointsElsewhereIsRefusedAfterASecond() {
        AtomicInteger asked = new AtomicInteger();
        assertThatThrownBy(() -> TagAtRegistry.require(image -> {
            asked.incrementAndGet();
            return BEFORE;
        }, REQUEST)).isInstanceOf(RolloutException.class).hasMessageContaining("points to " + BEFORE);
        assertThat(asked).hasValue(11);
    }

    @Test
    void aRequestWithoutDigestIsLeftToThePull() {
        TagAtRegistry.require(image -> {
            throw new AssertionError("asked the registry");
        }, new DeployRequest(Environment.of("staging"), ServiceName.of("app"), ImageRef.parse("127.0.0.1:5000/app:1")));
    }
}
