package io.rinpoche.deploy.hook.adapter;

import io.rinpoche.deploy.model.PushEvent;
import java.util.List;

/**
 * What one request said: the tagged image pushes it reports, and why the rest of it was ignored
 * (a layer push, a pull, a push by digest only...). Both lists may be empty.
 */
public record HookEvents(List<PushEvent> pushes, List<String> ignored) {

    public HookEvents {
        pushes = List.copyOf(pushes);
        ignored = List.copyOf(ignored);
    }

    /** A request that reports nothing to deploy, with the reason. */
    public static HookEvents ignored(String reason) {
        return new HookEvents(List.of(), List.of(reason));
    }

    /** The same pushes, seen from another registry host. */
    public HookEvents withRegistry(String registry) {
        return new HookEvents(pushes.stream().map(push -> push.withRegistry(registry)).toList(), ignored);
    }
}
