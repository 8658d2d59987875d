package io.rinpoche.deploy.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rinpoche.deploy.model.DeployRequest;
import io.rinpoche.deploy.model.Environment;
import io.rinpoche.deploy.model.ImageRef;
import io.rinpoche.deploy.model.ServiceName;
import io.rinpoche.deploy.rollout.RolloutEngine;
import io.rinpoche.deploy.rollout.RolloutException;
import io.rinpoche.deploy.rollout.RolloutResult;
import io.rinpoche.deploy.rollout.ServiceState;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * What every rollout engine must do, whatever it drives (one contract suite for every implementation, as
 * docker-java's DockerHttpClientTCK is for its transports): an engine's integration test extends this class and supplies the engine and a
 * running {@link RolloutStack}. The tests share that stack and may run in any order: each starts from
 * whatever the service runs now.
 */
public abstract class RolloutEngineContract {

    /**
     * Clients of the steady load: 8, as in the side-by-side baselines the README's figures come from (the same
     * small app behind nginx, replaced by compose recreate, docker-rollout and this engine).
     */
    static final int CLIENTS = 8;
    static final int CONSECUTIVE_ROLLOUTS = 10;
    /** Answers awaited between two rollouts, all of which must come from the version just deployed. */
    static final int ANSWERS_AFTER_EACH = 100;

    protected abstract RolloutEngine engine();

    protected abstract RolloutStack stack();

    /**
     * Whether a rollback's reason quotes the output of the new image's last health check: an engine that sees the
     * containers does; a cluster's manager does not see the checks, which run on the nodes.
     */
    protected boolean reasonsQuoteTheHealthCheck() {
        return true;
    }

    /**
     * How many rollouts {@link #consecutiveRolloutsUnderSteadyLoadFailNoRequest} makes back to back:
     * {@value #CONSECUTIVE_ROLLOUTS}, or fewer for an engine whose rollout replaces several replicas (as many
     * replacements in all, in a test time the suite can afford).
     */
    protected int consecutiveRollouts() {
        return CONSECUTIVE_ROLLOUTS;
    }

    @Test
    void deploysANewImageAndReportsIt() throws Exception {
        ServiceState before = state();
        ImageRef target = stack().nextVersion();

        RolloutResult result = engine().roll(request(target));

        assertThat(result.outcome()).as(result.summary()).isEqualTo(RolloutResult.Outcome.DEPLOYED);
        assertThat(result.from()).isEqualTo(before.image());
        assertThat(result.to().reference()).isEqualTo(target.pinned());
        assertThat(result.reason()).isEmpty();
        ServiceState after = state();
        assertThat(after.image()).isEqualTo(result.to());
        assertThat(after.health()).isEqualTo(ServiceState.Health.HEALTHY);
        assertThat(after.since()).isAfter(before.since());
        assertThat(after.replicas()).isEqualTo(before.replicas());
        assertThat(servedVersion()).isEqualTo(stack().versionOf(target));
    }

    /** A rollback pins what ran before by the digest the engine reported: for a local image, its id. */
    @Test
    void theImageThatRanBeforeCanBeDeployedAgainByItsReportedDigest() throws Exception {
        ServiceState before = state();
        ImageRef previous = ImageRef.parse(before.image().reference()).withDigest(before.image().digest());
        RolloutResult away = engine().roll(request(stack().nextVersion()));
        assertThat(away.outcome()).as(away.summary()).isEqualTo(RolloutResult.Outcome.DEPLOYED);

        RolloutResult back = engine().roll(request(previous));

        assertThat(back.outcome()).as(back.summary()).isEqualTo(RolloutResult.Outcome.DEPLOYED);
        assertThat(state().image().digest()).isEqualTo(before.image().digest());
        assertThat(servedVersion()).isEqualTo(stack().versionOf(ImageRef.parse(before.image().reference())));
    }

    @Test
    void theImageAlreadyRunningIsSkipped() throws Exception {
        ServiceState before = state();

        RolloutResult result = engine().roll(request(ImageRef.parse(before.image().reference())));

        assertThat(result.outcome()).as(result.summary()).isEqualTo(RolloutResult.Outcome.SKIPPED);
        assertThat(result.from()).isEqualTo(before.image());
        assertThat(result.to().digest()).isEqualTo(before.image().digest());
        assertThat(state()).isEqualTo(before);
    }

    @Test
    void anImageThatNeverTurnsHealthyIsRolledBackWhileTheOldVersionServes() throws Exception {
        RolloutResult result = rollBackUnderLoad(stack().unhealthy());

        assertThat(result.reason()).startsWith("not healthy after ");
        if (reasonsQuoteTheHealthCheck()) {
            assertThat(result.reason()).contains("this image is never healthy");
        }
    }

    @Test
    void anImageThatExitsAtStartIsRolledBackWhileTheOldVersionServes() throws Exception {
        RolloutResult result = rollBackUnderLoad(stack().exitsAtStart());

        assertThat(result.reason()).startsWith("container exited with code 1").contains("DJANGO_DEBUG");
    }

    @Test
    void aServiceThatDoesNotRunIsAFailureThatSaysWhich() {
        DeployRequest request = new DeployRequest(stack().environment(), ServiceName.of("no-such-service"),
                stack().nextVersion());

        assertThatThrownBy(() -> engine().roll(request))
                .isInstanceOf(RolloutException.class)
                .hasMessageContaining("no-such-service")
                .hasMessageContaining(stack().environment().name());
    }

    @Test
    void anEnvironmentWithNothingRunningListsNoServices() {
        assertThat(engine().services(Environment.of("nothing-runs-here"))).isEmpty();
    }

    /**
     * The first "must show": steady load through the proxy while {@value #CONSECUTIVE_ROLLOUTS}
     * rollouts happen back to back. No request fails, and once a rollout has returned every answer comes
     * from its version.
     */
    @Test
    void consecutiveRolloutsUnderSteadyLoadFailNoRequest() throws Exception {
        List<ImageRef> targets = new ArrayList<>();
        List<RolloutResult> results = new ArrayList<>();
        List<long[]> settled = new ArrayList<>(); // per rollout: [it returned, the next one started] in nanoTime
        Load load = Load.start(stack().url(), CLIENTS);
        try {
            Thread.sleep(1000);
            for (int i = 0; i < consecutiveRollouts(); i++) {
                ImageRef target = stack().nextVersion();
                targets.add(target);
                results.add(engine().roll(request(target)));
                long returned = System.nanoTime();
                load.awaitAnswersSince(returned, ANSWERS_AFTER_EACH);
                settled.add(new long[] {returned, System.nanoTime()});
            }
        } finally {
            load.close();
        }

        List<Load.Sample> samples = load.samples();
        System.out.printf("%d consecutive rollouts under load of %d clients: %s%n", consecutiveRollouts(), CLIENTS,
                Load.figures(samples));
        results.forEach(result -> System.out.printf("  %s%n", result.summary()));
        assertThat(results).extracting(RolloutResult::outcome).containsOnly(RolloutResult.Outcome.DEPLOYED);
        assertThat(samples.stream().filter(Load.Sample::failed).map(Load.Sample::error).limit(5))
                .as(() -> "failed requests; the proxy's errors:\n" + stack().proxyErrors()).isEmpty();
        for (int i = 0; i < consecutiveRollouts(); i++) {
            List<Load.Sample> after = load.startedBetween(settled.get(i)[0], settled.get(i)[1]);
            assertThat(after).as("answers after rollout %d", i + 1).hasSizeGreaterThanOrEqualTo(ANSWERS_AFTER_EACH)
                    .extracting(Load.Sample::version).containsOnly(stack().versionOf(targets.get(i)));
        }
    }

    /**
     * Half the clients send POST, which nginx never retries on another replica once sent: a rollout must have none
     * in flight to a replica when it stops it.
     */
    @Test
    void rolloutsUnderGetAndPostLoadFailNoRequest() throws Exception {
        rollUnderGetAndPostLoad(List.of(stack().nextVersion(), stack().nextVersion(), stack().nextVersion()));
    }

    /**
     * An app that exits at once on SIGTERM drops the requests it has in flight; the old replicas of these rollouts
     * are such an app, so no request may be on its way to one when it stops.
     */
    @Test
    void anAppThatExitsAtOnceOnSigtermLosesNoRequest() throws Exception {
        RolloutResult onto = engine().roll(request(stack().nextVersionThatExitsOnSigterm()));
        assertThat(onto.outcome()).as(onto.summary()).isEqualTo(RolloutResult.Outcome.DEPLOYED);

        rollUnderGetAndPostLoad(List.of(stack().nextVersionThatExitsOnSigterm(), stack().nextVersionThatExitsOnSigterm()));
    }

    // Rolls onto each target in turn under GET and POST load: all deployed, no request failed, the last one serves.
    private void rollUnderGetAndPostLoad(List<ImageRef> targets) throws Exception {
        List<RolloutResult> results = new ArrayList<>();
        long lastReturned;
        Load load = Load.start(stack().url(), CLIENTS, CLIENTS / 2);
        try {
            Thread.sleep(1000);
            for (ImageRef target : targets) {
                results.add(engine().roll(request(target)));
            }
            lastReturned = System.nanoTime();
            load.awaitAnswersSince(lastReturned, ANSWERS_AFTER_EACH);
        } finally {
            load.close();
        }

        List<Load.Sample> samples = load.samples();
        System.out.printf("%d rollouts under GET and POST load of %d clients: %s%n", targets.size(), CLIENTS,
                Load.figures(samples));
        results.forEach(result -> System.out.printf("  %s%n", result.summary()));
        assertThat(results).extracting(RolloutResult::outcome).containsOnly(RolloutResult.Outcome.DEPLOYED);
        assertThat(samples.stream().filter(Load.Sample::failed).map(Load.Sample::error).limit(5))
                .as(() -> "failed requests; the proxy's errors:\n" + stack().proxyErrors()).isEmpty();
        assertThat(load.startedBetween(lastReturned, Long.MAX_VALUE)).as("answers after the last rollout")
                .hasSizeGreaterThanOrEqualTo(ANSWERS_AFTER_EACH)
                .extracting(Load.Sample::version).containsOnly(stack().versionOf(targets.get(targets.size() - 1)));
    }

    // Rolls onto a bad image under load: rolled back, no request failed, only the old version answered.
    private RolloutResult rollBackUnderLoad(ImageRef bad) throws Exception {
        ServiceState before = state();
        String serving = servedVersion();
        RolloutResult result;
        Load load = Load.start(stack().url(), CLIENTS);
        try {
            result = engine().roll(request(bad));
        } finally {
            load.close();
        }

        System.out.printf("rollback from %s under load: %s%n  %s%n", bad, Load.figures(load.samples()), result.summary());
        assertThat(result.outcome()).as(result.summary()).isEqualTo(RolloutResult.Outcome.ROLLED_BACK);
        assertThat(result.from()).isEqualTo(before.image());
        assertThat(result.to().reference()).isEqualTo(bad.pinned());
        assertThat(load.samples()).as(() -> "the proxy's errors:\n" + stack().proxyErrors())
                .isNotEmpty().noneMatch(Load.Sample::failed)
                .extracting(Load.Sample::version).containsOnly(serving);
        assertThat(state()).isEqualTo(before);
        return result;
    }

    protected DeployRequest request(ImageRef image) {
        return new DeployRequest(stack().environment(), stack().service(), image);
    }

    protected ServiceState state() {
        return engine().services(stack().environment()).stream()
                .filter(service -> service.service().equals(stack().service()))
                .findFirst().orElseThrow(() -> new AssertionError(stack().service() + " is not listed"));
    }

    protected String servedVersion() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(stack().url() + "/api/stats")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        Matcher version = Pattern.compile("\"version\":\\s*\"([^\"]+)\"").matcher(response.body());
        assertThat(version.find()).as(response.body()).isTrue();
        return version.group(1);
    }
}
