package io.rinpoche.deploy.state;

import io.rinpoche.deploy.history.Deployment;
import io.rinpoche.deploy.history.DeploymentHistory;
import io.rinpoche.deploy.history.DeploymentPage;
import io.rinpoche.deploy.history.Intent;
import io.rinpoche.deploy.history.Trigger;
import io.rinpoche.deploy.model.Environment;
import io.rinpoche.deploy.model.ImageRef;
import io.rinpoche.deploy.model.ServiceName;
import io.rinpoche.deploy.rollout.RolloutResult;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The history as the state repository's commits: {@link #intend} commits the new pin before the rollout,
 * {@link #append} commits the outcome (restoring the old pin when the rollout did not deploy and nobody
 * pinned something newer meanwhile), and {@link #page} reads outcome commits back, newest first.
 */
public final class GitDeploymentHistory implements DeploymentHistory {

    private static final Logger log = LoggerFactory.getLogger(GitDeploymentHistory.class);
    private static final java.time.Duration FIRST_PULL_WAIT = java.time.Duration.ofMinutes(1);

    /** The number of outcome commits up to a tip, so paging does not recount 10,000 commits per request. */
    private record Count(ObjectId head, long total) {
    }

    private final StateRepository state;
    private volatile Count count;

    public GitDeploymentHistory(StateRepository state) {
        this.state = state;
    }

    @Override
    public void intend(Intent intent) {
        state.commit(intent.environment(), pins -> new StateRepository.Edit(
                pins.with(intent.service(), intent.image()),
                DeploymentCommits.intent(intent, pins.pin(intent.service()).orElse(null)),
                Identities.author(intent.trigger())));
    }

    /**
     * Pins {@code intent}'s image unless the service is pinned already: how {@code ./platform up} records the
     * images it started an environment on. Nothing is rolled; the reconcile loop compares as usual.
     *
     * @return the pin the service has now
     */
    public ImageRef seed(Intent intent) {
        // A new machine seeds what it started; the remote's pins, once pulled, come first.
        state.awaitFirstPull(FIRST_PULL_WAIT);
        ImageRef[] pinned = new ImageRef[1];
        state.commit(intent.environment(), pins -> {
            pinned[0] = pins.pin(intent.service()).orElse(null);
            if (pinned[0] != null) {
                return null;
            }
            pinned[0] = intent.image();
            return new StateRepository.Edit(pins.with(intent.service(), intent.image()),
                    DeploymentCommits.intent(intent, null).replaceFirst("^deploy ", "seed "),
                    Identities.author(intent.trigger()));
        });
        return pinned[0];
    }

    @Override
    public void append(Deployment deployment) {
        state.commit(deployment.environment(), pins -> {
            boolean restore = !deployed(deployment) && pins.pin(deployment.service())
                    .filter(deployment.requested()::equals).isPresent();
            PinFile next = restore ? pins.with(deployment.service(), previousPin(deployment)) : pins;
            return new StateRepository.Edit(next, DeploymentCommits.outcome(deployment, restore), Identities.service());
        });
    }

    @Override
    public DeploymentPage page(int page, int size) {
        DeploymentHistory.checkPage(page, size);
        ObjectId head = state.head();
        return fromHead(head, walk -> {
            List<Deployment> items = new ArrayList<>();
            long skip = (long) page * size;
            for (RevCommit commit : walk) {
                Map<String, String> trailers = DeploymentCommits.trailers(commit);
                if (!DeploymentCommits.OUTCOME_KIND.equals(trailers.get(DeploymentCommits.KIND)) || skip-- > 0) {
                    continue;
                }
                Optional<Deployment> deployment = readable(commit, () -> DeploymentCommits.deployment(trailers));
                if (deployment.isEmpty()) {
                    continue;
                }
                items.add(deployment.get());
                if (items.size() == size) {
                    break;
                }
            }
            return new DeploymentPage(items, page, size, total(head));
        });
    }

    /**
     * The request behind the pin {@code service} of {@code environment} has now, if no outcome was recorded
     * for it yet: an intent the service accepted (then crashed, or is still rolling), or a commit a person
     * pushed (its author as the trigger). Empty when the newest record of the service is an outcome.
     */
    public Optional<Intent> pending(Environment environment, ServiceName service) {
        return fromHead(state.head(), walk -> {
            for (RevCommit commit : walk) {
                Map<String, String> trailers = DeploymentCommits.trailers(commit);
                if (concerns(trailers, environment, service)) {
                    return DeploymentCommits.INTENT.equals(trailers.get(DeploymentCommits.KIND))
                            ? Optional.of(parsed(commit, () -> DeploymentCommits.intent(trailers))) : Optional.empty();
                }
                Optional<ImageRef> edited = trailers.isEmpty() ? edit(walk, commit, environment, service) : Optional.empty();
                if (edited.isPresent()) {
                    return Optional.of(new Intent(commit.abbreviate(12).name(), environment, service, edited.get(),
                            Trigger.git(person(commit.getAuthorIdent()))));
                }
            }
            return Optional.empty();
        });
    }

    /**
     * An intent the service accepted and recorded no outcome for, with the pin it replaced and when it was committed.
     *
     * @param replaced the pin the intent replaced; null when the service was not pinned (a seed)
     */
    public record Unfinished(Intent intent, ImageRef replaced, Instant accepted) {
    }

    /**
     * The intent behind the pin {@code service} of {@code environment} has now when it was committed before
     * {@code before} (by a process that is gone, when {@code before} is this one's start) and no outcome followed it:
     * a rollout the service was stopped in. Empty when the newest record of the service is an outcome or a pin a
     * person pushed.
     */
    public Optional<Unfinished> unfinished(Environment environment, ServiceName service, Instant before) {
        return fromHead(state.head(), walk -> {
            for (RevCommit commit : walk) {
                Map<String, String> trailers = DeploymentCommits.trailers(commit);
                if (concerns(trailers, environment, service)) {
                    Instant accepted = Instant.ofEpochSecond(commit.getCommitTime());
                    return DeploymentCommits.INTENT.equals(trailers.get(DeploymentCommits.KIND)) && accepted.isBefore(before)
                            ? Optional.of(parsed(commit, () -> new Unfinished(DeploymentCommits.intent(trailers),
                            DeploymentCommits.from(trailers), accepted))) : Optional.empty();
                }
                if (trailers.isEmpty() && edit(walk, commit, environment, service).isPresent()) {
                    return Optional.empty();
                }
            }
            return Optional.empty();
        });
    }

    /**
     * The hook events behind the newest {@code max} hook intents, newest first: what the service accepted before it
     * restarted, so that a redelivery (or a replay) of one of them is recognised after a restart too.
     */
    public List<Trigger> acceptedHookEvents(int max) {
        return fromHead(state.head(), walk -> {
            List<Trigger> events = new ArrayList<>();
            for (RevCommit commit : walk) {
                Map<String, String> trailers = DeploymentCommits.trailers(commit);
                if (events.size() == max) {
                    break;
                }
                if (DeploymentCommits.INTENT.equals(trailers.get(DeploymentCommits.KIND))
                        && Trigger.Kind.HOOK.tag().equals(trailers.get(DeploymentCommits.TRIGGER))) {
                    readable(commit, () -> DeploymentCommits.trigger(trailers)).ifPresent(events::add);
                }
            }
            return events;
        });
    }

    private static boolean concerns(Map<String, String> trailers, Environment environment, ServiceName service) {
        return environment.name().equals(trailers.get(DeploymentCommits.ENVIRONMENT))
                && service.name().equals(trailers.get(DeploymentCommits.SERVICE));
    }

    // The pin a commit without trailers (a person's) gave the service, if it changed it. A broken file someone pushed
    // and fixed later stops nothing: it pinned nothing, and the commit that fixed it set the pin it has.
    private Optional<ImageRef> edit(RevWalk walk, RevCommit commit, Environment environment, ServiceName service)
            throws IOException {
        Optional<Optional<ImageRef>> after = readablePin(commit, environment, service);
        if (after.isEmpty()) {
            return Optional.empty();
        }
        Optional<Optional<ImageRef>> before = commit.getParentCount() == 0 ? Optional.of(Optional.empty())
                : readablePin(walk.parseCommit(commit.getParent(0)), environment, service);
        return after.equals(before) ? Optional.empty() : after.get();
    }

    // The service's pin in the commit's file; empty when that file cannot be read.
    private Optional<Optional<ImageRef>> readablePin(RevCommit commit, Environment environment, ServiceName service)
            throws IOException {
        try {
            return Optional.of(StateRepository.pins(commit, environment, state.repository()).pin(service));
        } catch (CorruptStateException e) {
            return Optional.empty();
        }
    }

    // What the deployment's intent replaced: the intent commit's From, or for a person's commit its parent's pin.
    private ImageRef previousPin(Deployment deployment) {
        return fromHead(state.head(), walk -> {
            for (RevCommit commit : walk) {
                Map<String, String> trailers = DeploymentCommits.trailers(commit);
                if (deployment.id().equals(trailers.get(DeploymentCommits.DEPLOYMENT))
                        && DeploymentCommits.INTENT.equals(trailers.get(DeploymentCommits.KIND))) {
                    return DeploymentCommits.from(trailers);
                }
                if (trailers.isEmpty() && commit.name().startsWith(deployment.id()) && commit.getParentCount() > 0) {
                    return readablePin(walk.parseCommit(commit.getParent(0)), deployment.environment(),
                            deployment.service()).flatMap(pin -> pin).orElse(null);
                }
            }
            return null;
        });
    }

    /** What a walk of the branch makes of it, newest commit first. */
    private interface Walker<T> {
        T walk(RevWalk walk) throws IOException;
    }

    // A walk that starts at `head` (none before the first commit); an unreadable repository is a StateException.
    private <T> T fromHead(ObjectId head, Walker<T> walker) {
        try (RevWalk walk = new RevWalk(state.repository())) {
            if (head != null) {
                walk.markStart(walk.parseCommit(head));
            }
            return walker.walk(walk);
        } catch (IOException e) {
            throw new StateException("cannot read the history: " + e.getMessage(), e);
        }
    }

    private long total(ObjectId head) throws IOException {
        if (head == null) {
            return 0;
        }
        Count known = count;
        if (known != null && known.head().equals(head)) {
            return known.total();
        }
        long total = 0;
        try (RevWalk walk = new RevWalk(state.repository())) {
            walk.markStart(walk.parseCommit(head));
            if (known != null && walk.isMergedInto(walk.parseCommit(known.head()), walk.parseCommit(head))) {
                walk.reset();
                walk.markStart(walk.parseCommit(head));
                walk.markUninteresting(walk.parseCommit(known.head()));
                total = known.total();
            } else {
                walk.reset();
                walk.markStart(walk.parseCommit(head));
            }
            for (RevCommit commit : walk) {
                if (DeploymentCommits.OUTCOME_KIND.equals(DeploymentCommits.trailers(commit).get(DeploymentCommits.KIND))) {
                    total++;
                }
            }
        }
        count = new Count(head, total);
        return total;
    }

    // Trailers are text anyone with push access can write: one that does not parse names its commit, and is
    // that commit's problem only.
    private static <T> T parsed(RevCommit commit, Supplier<T> parser) {
        try {
            return parser.get();
        } catch (RuntimeException e) {
            throw new CorruptStateException("commit " + commit.abbreviate(12).name() + " has Rinpoche-* trailers that"
                    + " cannot be read: " + e.getMessage());
        }
    }

    // Where one unreadable commit must not hide the others: it is skipped, and the log names it.
    private static <T> Optional<T> readable(RevCommit commit, Supplier<T> parser) {
        try {
            return Optional.of(parsed(commit, parser));
        } catch (CorruptStateException e) {
            log.warn("history: skipping a commit that cannot be read: {}", e.getMessage());
            return Optional.empty();
        }
    }

    // An analysis' rollback that came through is ROLLED_BACK too, but its pin (the old version) is the one to keep.
    private static boolean deployed(Deployment deployment) {
        return deployment.outcome() == RolloutResult.Outcome.DEPLOYED || deployment.outcome() == RolloutResult.Outcome.SKIPPED
                || deployment.outcome() == RolloutResult.Outcome.ROLLED_BACK
                && deployment.trigger().kind() == Trigger.Kind.ANALYSIS;
    }

    private static String person(PersonIdent ident) {
        return ident.getName() + " <" + ident.getEmailAddress() + ">";
    }
}
