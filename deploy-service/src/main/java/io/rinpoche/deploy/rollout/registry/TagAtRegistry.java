package io.rinpoche.deploy.rollout.registry;

import io.rinpoche.deploy.model.DeployRequest;
import io.rinpoche.deploy.model.Digest;
import io.rinpoche.deploy.model.ImageRef;
import io.rinpoche.deploy.rollout.ImageCheck;
import io.rinpoche.deploy.rollout.RegistryTags;
import io.rinpoche.deploy.rollout.RolloutException;
import java.time.Duration;

/** {@link ImageCheck#TAG_AT_REGISTRY} as every engine applies it, before it touches anything. */
public final class TagAtRegistry {

    // CNCF distribution notifies of a pushed manifest before it moves the tag: a hook may outrun the tag by a little.
    private static final Duration TAG_SETTLE = Duration.ofSeconds(1);
    // Asked again this often meanwhile: the tag usually moves within milliseconds, and every one counts to serving.
    private static final Duration TAG_POLL = Duration.ofMillis(100);

    private TagAtRegistry() {
    }

    /**
     * A hook names a tag and a digest; only the digest the registry's tag points to now is deployed (a forged or
     * replayed hook could name an old release or another branch's build). Without a digest, the pull by tag asks
     * the registry itself.
     *
     * @throws RolloutException when the tag points elsewhere
     */
    public static void require(RegistryTags tags, DeployRequest request) {
        ImageRef image = request.image();
        if (image.digest() == null) {
            return;
        }
        Digest now = tags.digest(image);
        for (long waited = 0; !now.equals(image.digest()) && waited < TAG_SETTLE.toMillis(); waited += TAG_POLL.toMillis()) {
            pause(TAG_POLL);
            now = tags.digest(image);
        }
        if (!now.equals(image.digest())) {
            throw new RolloutException("refused " + request + ": at the registry, " + image.name() + ":" + image.tag()
                    + " points to " + now + ", not to " + image.digest()
                    + " (a hook deploys only the image its tag points to now)");
        }
    }

    private static void pause(Duration wait) {
        try {
            Thread.sleep(wait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RolloutException("interrupted while waiting for the registry's tag", e);
        }
    }
}
