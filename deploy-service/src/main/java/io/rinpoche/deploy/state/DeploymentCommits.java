package io.rinpoche.deploy.state;

import io.rinpoche.deploy.history.Deployment;
import io.rinpoche.deploy.history.Intent;
import io.rinpoche.deploy.history.Trigger;
import io.rinpoche.deploy.model.Digest;
import io.rinpoche.deploy.model.Environment;
import io.rinpoche.deploy.model.ImageRef;
import io.rinpoche.deploy.model.ServiceName;
import io.rinpoche.deploy.rollout.ImageVersion;
import io.rinpoche.deploy.rollout.RolloutResult;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.eclipse.jgit.revwalk.FooterLine;
import org.eclipse.jgit.revwalk.RevCommit;

/**
 * The commit messages of the state repository: a subject a person reads in {@code git log}, and
 * {@code Rinpoche-*} trailers a program reads back ({@code git interpret-trailers --parse} shows them).
 * An intent commit ({@code Rinpoche-Kind: intent}) changes the pin; an outcome commit
 * ({@code Rinpoche-Kind: outcome}) carries the whole history entry, and restores the old pin when the
 * rollout did not deploy.
 */
final class DeploymentCommits {

    static final String KIND = "Rinpoche-Kind";
    static final String DEPLOYMENT = "Rinpoche-Deployment";
    static final String ENVIRONMENT = "Rinpoche-Environment";
    static final String SERVICE = "Rinpoche-Service";
    static final String FROM = "Rinpoche-From";
    static final String TO = "Rinpoche-To";
    static final String REQUESTED = "Rinpoche-Requested";
    static final String FROM_DIGEST = "Rinpoche-From-Digest";
    static final String TO_DIGEST = "Rinpoche-To-Digest";
    static final String TRIGGER = "Rinpoche-Trigger";
    static final String SOURCE = "Rinpoche-Source";
    static final String EVENT = "Rinpoche-Event";
    static final String USER = "Rinpoche-User";
    static final String OUTCOME = "Rinpoche-Outcome";
    static final String STARTED = "Rinpoche-Started";
    static final String DURATION = "Rinpoche-Duration-Ms";
    static final String REASON = "Rinpoche-Reason";
    static final String ANALYSIS = "Rinpoche-Analysis";
    static final String INTENT = "intent";
    static final String OUTCOME_KIND = "outcome";

    private DeploymentCommits() {
    }

    /** e.g. {@code deploy staging/app: hello-django:develop-1 -> hello-django:develop-2 (hook registry/ab12)}. */
    static String intent(Intent intent, ImageRef from) {
        Map<String, String> trailers = new LinkedHashMap<>();
        trailers.put(KIND, INTENT);
        trailers.put(DEPLOYMENT, intent.id());
        trailers.put(ENVIRONMENT, intent.environment().name());
        trailers.put(SERVICE, intent.service().name());
        trailers.put(FROM, from == null ? "none" : from.toString());
        trailers.put(TO, intent.image().toString());
        trigger(trailers, intent.trigger());
        return "deploy " + intent.environment() + "/" + intent.service() + ": " + (from == null ? "unpinned" : shortName(from))
                + " -> " + shortName(intent.image()) + " (" + intent.trigger() + ")\n\n" + format(trailers);
    }

    /** e.g. {@code deployed staging/app in 7.2 s} or {@code rolled back staging/app: it never turned healthy}. */
    static String outcome(Deployment deployment, boolean restored) {
        Map<String, String> trailers = new LinkedHashMap<>();
        trailers.put(KIND, OUTCOME_KIND);
        trailers.put(DEPLOYMENT, deployment.id());
        trailers.put(ENVIRONMENT, deployment.environment().name());
        trailers.put(SERVICE, deployment.service().name());
        trailers.put(REQUESTED, deployment.requested().toString());
        if (deployment.from() != null) {
            trailers.put(FROM, deployment.from().reference());
            trailers.put(FROM_DIGEST, deployment.from().digest().value());
        }
        if (deployment.to() != null) {
            trailers.put(TO, deployment.to().reference());
            trailers.put(TO_DIGEST, deployment.to().digest().value());
        }
        trigger(trailers, deployment.trigger());
        trailers.put(OUTCOME, tag(deployment.outcome()));
        trailers.put(STARTED, deployment.started().toString());
        trailers.put(DURATION, Long.toString(deployment.duration().toMillis()));
        if (!deployment.reason().isEmpty()) {
            trailers.put(REASON, oneLine(deployment.reason()));
        }
        String subject = tag(deployment.outcome()).replace('_', ' ') + " " + deployment.environment() + "/"
                + deployment.service() + " in " + deployment.duration().toMillis() / 1000.0 + " s"
                + (restored ? "; pin restored" : "");
        return subject + "\n\n" + format(trailers);
    }

    /** The trailers of {@code commit} by key; the last value of a repeated key wins. */
    static Map<String, String> trailers(RevCommit commit) {
        Map<String, String> trailers = new LinkedHashMap<>();
        for (FooterLine line : commit.getFooterLines()) {
            if (line.getKey().startsWith("Rinpoche-")) {
                trailers.put(line.getKey(), line.getValue().strip());
            }
        }
        return trailers;
    }

    /** The history entry an outcome commit holds. */
    static Deployment deployment(Map<String, String> trailers) {
        return new Deployment(trailers.get(DEPLOYMENT), Environment.of(trailers.get(ENVIRONMENT)),
                ServiceName.of(trailers.get(SERVICE)), ImageRef.parse(trailers.get(REQUESTED)),
                version(trailers.get(FROM), trailers.get(FROM_DIGEST)), version(trailers.get(TO), trailers.get(TO_DIGEST)),
                trigger(trailers), RolloutResult.Outcome.valueOf(trailers.get(OUTCOME).toUpperCase(Locale.ROOT)),
                Instant.parse(trailers.get(STARTED)), Duration.ofMillis(Long.parseLong(trailers.get(DURATION))),
                trailers.getOrDefault(REASON, ""));
    }

    /** The request an intent commit holds. */
    static Intent intent(Map<String, String> trailers) {
        return new Intent(trailers.get(DEPLOYMENT), Environment.of(trailers.get(ENVIRONMENT)),
                ServiceName.of(trailers.get(SERVICE)), ImageRef.parse(trailers.get(TO)), trigger(trailers));
    }

    /** The pin an intent replaced; null when the service was not pinned. */
    static ImageRef from(Map<String, String> trailers) {
        String from = trailers.get(FROM);
        return from == null || from.equals("none") ? null : ImageRef.parse(from);
    }

    private static void trigger(Map<String, String> trailers, Trigger trigger) {
        trailers.put(TRIGGER, trigger.kind().tag());
        if (trigger.source() != null) {
            trailers.put(SOURCE, trigger.source());
            trailers.put(EVENT, trigger.eventId());
        }
        if (trigger.user() != null) {
            trailers.put(USER, oneLine(trigger.user()));
        }
        if (trigger.reason() != null) {
            trailers.put(ANALYSIS, oneLine(trigger.reason()));
        }
    }

    /** The trigger a commit's trailers name. */
    static Trigger trigger(Map<String, String> trailers) {
        return new Trigger(Trigger.Kind.valueOf(trailers.get(TRIGGER).toUpperCase(Locale.ROOT)), trailers.get(SOURCE),
                trailers.get(EVENT), trailers.get(USER), trailers.get(ANALYSIS));
    }

    private static ImageVersion version(String reference, String digest) {
        return reference == null || digest == null ? null : new ImageVersion(reference, Digest.parse(digest));
    }

    private static String tag(RolloutResult.Outcome outcome) {
        return outcome.name().toLowerCase(Locale.ROOT);
    }

    // hello-django:develop-2 without the registry host, and a digest cut to 12 characters.
    private static String shortName(ImageRef image) {
        String text = image.repository() + (image.tag() != null ? ":" + image.tag() : "");
        return image.digest() == null ? text : text + "@" + image.digest().hex().substring(0, 12);
    }

    private static String oneLine(String text) {
        return text.replaceAll("\\s+", " ").strip();
    }

    private static String format(Map<String, String> trailers) {
        StringBuilder text = new StringBuilder();
        trailers.forEach((key, value) -> text.append(key).append(": ").append(value).append('\n'));
        return text.toString();
    }
}
