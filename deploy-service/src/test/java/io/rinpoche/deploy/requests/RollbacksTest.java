package io.rinpoche.deploy.requests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rinpoche.deploy.history.Deployment;
import io.rinpoche.deploy.history.InMemoryDeploymentHistory;
import io.rinpoche.deploy.history.Trigger;
import io.rinpoche.deploy.model.Digest;
import io.rinpoche.deploy.model.Environment;
import io.rinpoche.deploy.model.ImageRef;
import io.rinpoche.deploy.model.ServiceName;
import io.rinpoche.deploy.rollout.ImageVersion;
import io.rinpoche.deploy.rollout.RolloutResult.Outcome;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Where a rollback goes: what the newest deployment replaced, or an image the history shows the service ran. */
class RollbacksTest {

    private static final Environment STAGING = Environment.of("staging");
    private static final ServiceName APP = ServiceName.of("app");
    private static final ImageVersion V1 = new ImageVersion("127.0.0.1:5000/hello-django:develop-1", digest('1'));
    private static final ImageVersion V2 = new ImageVersion("127.0.0.1:5000/hello-django@" + digest('2'), digest('2'));
    private static final ImageVersion V3 = new ImageVersion("127.0.0.1:5000/hello-django@" + digest('3'), digest('3'));

    private final InMemoryDeploymentHistory history = new InMemoryDeploymentHistory(100);
    private final Rollbacks rollbacks = new Rollbacks(history);

    private static Digest digest(char c) {
        return Digest.parse("sha256:" + String.valueOf(c).repeat(64));
    }

    private void record(ServiceName service, ImageVersion from, ImageVersion to, Outcome outcome) {
        history.append(new Deployment(Long.toHexString(System.nanoTime()), STAGING, service,
                ImageRef.parse(to.reference()), from, to, Trigger.manual("admin"), outcome, Instant.now(),
                Duration.ofSeconds(4), ""));
    }

    @Test
    void withoutHistoryThereIsNothingToRollBackTo() {
        record(ServiceName.of("worker"), V1, V2, Outcome.DEPLOYED);
        record(APP, V1, V2, Outcome.ROLLED_BACK);

        assertThatThrownBy(() -> rollbacks.target(STAGING, APP))
                .isInstanceOf(NothingToRollBackException.class)
                .hasMessage("nothing to roll back to: the history holds no deployment of staging/app");
    }

    @Test
    void goesBackToWhatTheNewestDeploymentReplacedPinnedToItsDigest() {
        record(APP, V1, V2, Outcome.DEPLOYED);
        record(APP, V2, V3, Outcome.DEPLOYED);
        record(APP, V3, V1, Outcome.ROLLED_BACK);

        assertThat(rollbacks.target(STAGING, APP)).isEqualTo(ImageRef.parse(V2.reference()));
        record(APP, V3, V2, Outcome.DEPLOYED); // the rollback itself...
        assertThat(rollbacks.target(STAGING, APP)).isEqualTo(ImageRef.parse(V3.reference())); // ...so undo goes back
    }

    @Test
    void aTagOnlyReferenceIsPinnedToTheDigestThatRan() {
        record(APP, V1, V2, Outcome.DEPLOYED);

        assertThat(rollbacks.target(STAGING, APP).toString())
                .isEqualTo("127.0.0.1:5000/hello-django:develop-1@" + digest('1'));
    }

    @Test
    void anExplicitTargetMustBeAnImageTheServiceRan() {
        record(APP, V1, V2, Outcome.DEPLOYED);
        record(APP, V2, V3, Outcome.DEPLOYED);

        ImageRef v1 = ImageRef.parse("127.0.0.1:5000/hello-django@" + digest('1'));
        assertThat(rollbacks.target(STAGING, APP, v1)).isEqualTo(v1);
        ImageRef unknown = ImageRef.parse("127.0.0.1:5000/hello-django@" + digest('9'));
        assertThatThrownBy(() -> rollbacks.target(STAGING, APP, unknown))
                .isInstanceOf(NothingToRollBackException.class).hasMessageContaining(digest('9').value());
        assertThatThrownBy(() -> rollbacks.target(STAGING, APP, ImageRef.parse("hello-django:develop-1")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must name a digest");
    }
}
