package io.rinpoche.deploy.state;

import io.rinpoche.deploy.history.Trigger;
import org.eclipse.jgit.lib.PersonIdent;

/** Who a commit is by: the person or hook that asked, and the deploy service as committer. */
final class Identities {

    private static final String DOMAIN = "rinpoche.invalid";

    private Identities() {
    }

    /** The deploy service itself: the committer of every commit it writes, and the author of outcomes. */
    static PersonIdent service() {
        return new PersonIdent("rinpoche deploy service", "deploy-service@" + DOMAIN);
    }

    /** The author of an intent: the hook source, or the user who asked through the API. */
    static PersonIdent author(Trigger trigger) {
        return switch (trigger.kind()) {
            case HOOK -> new PersonIdent(trigger.source() + " hook", "hook-" + trigger.source() + "@" + DOMAIN);
            case MANUAL, ROLLBACK -> new PersonIdent(trigger.user(), trigger.user().replaceAll("[^A-Za-z0-9._-]", "_")
                    + "@" + DOMAIN);
            case GIT, RECONCILE, ANALYSIS -> service();
        };
    }
}
