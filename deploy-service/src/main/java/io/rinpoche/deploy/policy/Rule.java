package io.rinpoche.deploy.policy;

import io.rinpoche.deploy.model.Environment;
import io.rinpoche.deploy.model.PushEvent;
import io.rinpoche.deploy.model.ServiceName;

/** A compiled rule: every pattern already checked, so matching cannot fail. */
record Rule(String name, String source, Glob repository, TagMatcher tag, Environment environment, ServiceName service,
            boolean forwardOnly) {

    boolean matches(PushEvent event) {
        return source.equals(event.source())
                && repository.matches(event.repository())
                && tag.matches(event.tag());
    }
}
