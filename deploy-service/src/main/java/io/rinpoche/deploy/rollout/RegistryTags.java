package io.rinpoche.deploy.rollout;

import io.rinpoche.deploy.model.Digest;
import io.rinpoche.deploy.model.ImageRef;

/** What a registry says about a tag now: the link between a tag a hook names and the digest it carries. */
public interface RegistryTags {

    /**
     * The digest {@code image}'s tag points to now at the registry its name names (Docker Hub when it names none).
     *
     * @throws RolloutException when the registry does not know the tag or refuses to say (unknown repository, denied)
     * @throws TransientRolloutException when the registry did not answer or failed (it may be restarting)
     */
    Digest digest(ImageRef image);
}
