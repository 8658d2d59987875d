package io.rinpoche.deploy.policy;

import io.rinpoche.deploy.model.DeployRequest;
import io.rinpoche.deploy.model.PushEvent;
import java.util.Objects;

/** What the policy made of one push: a request to deploy it, or the reason it is ignored. */
public sealed interface Decision {

    /** The push that was decided on. */
    PushEvent event();

    /** Rule {@code rule} matched: deploy as {@code request} says. A plain value: no Docker needed to check it. */
    record Planned(DeployRequest request, String rule, PushEvent event) implements Decision {

        public Planned {
            Objects.requireNonNull(request, "request");
            Objects.requireNonNull(rule, "rule");
            Objects.requireNonNull(event, "event");
        }

        /** One line for logs, e.g. {@code staging/app <- 127.0.0.1:5000/hello-django:develop-1 (rule staging)}. */
        public String summary() {
            return request + " (rule " + rule + ")";
        }
    }

    /** No rule matched: nothing happens. */
    record Ignored(PushEvent event, String reason) implements Decision {
    }
}
