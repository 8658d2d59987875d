package io.rinpoche.deploy.policy;

import io.rinpoche.deploy.model.DeploymentPlan;
import io.rinpoche.deploy.model.PushEvent;

/** What the policy made of one push: a plan, or the reason it is ignored. */
public sealed interface Decision {

    /** The push that was decided on. */
    PushEvent event();

    /** A rule matched: deploy. */
    record Planned(DeploymentPlan plan) implements Decision {
        @Override
        public PushEvent event() {
            return plan.trigger();
        }
    }

    /** No rule matched: nothing happens. */
    record Ignored(PushEvent event, String reason) implements Decision {
    }
}
