package io.rinpoche.deploy.hook.adapter;

import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * Docker Hub repository webhooks (https://docs.docker.com/docker-hub/repos/manage/webhooks/):
 * {@code push_data.tag} and {@code repository.repo_name}. Docker Hub sends no digest and no
 * delivery id, and cannot sign or add headers, so it authenticates with a token in the URL.
 */
public final class DockerHubAdapter implements HookAdapter {

    static final String REGISTRY = "docker.io";

    @Override
    public HookEvents events(JsonNode payload, HookContext context) {
        String tag = Json.requiredText(payload, "push_data.tag");
        String repository = Json.requiredText(payload, "repository.repo_name");
        return new HookEvents(List.of(Images.push(REGISTRY, repository, tag, null, context.source(),
                EventIds.fromBody(context.body(), 0))), List.of());
    }
}
