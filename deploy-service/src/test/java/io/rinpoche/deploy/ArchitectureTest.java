package io.rinpoche.deploy;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.rinpoche.deploy.queue.RolloutScheduler;
import io.rinpoche.deploy.rollout.RolloutEngine;
import org.junit.jupiter.api.Test;

/**
 * The packages and their arrows. A deploy is asked for in {@code requests} (a hook delivery, a person, the
 * reconcile loop), which uses {@code hook} and {@code policy} and submits to the one {@code queue}; the queue
 * rolls with a {@code rollout} engine ({@code rollout.compose} or {@code rollout.swarm}, as {@code EngineSetting}
 * says) and records in the {@code history}, which the git {@code state} implements. {@code web} only translates
 * HTTP into {@code requests}. {@code model} holds the values all of them share.
 */
class ArchitectureTest {

    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.rinpoche.deploy");

    private static final String MODEL = "..deploy.model..";
    private static final String HOOK = "..deploy.hook..";
    private static final String POLICY = "..deploy.policy..";
    private static final String HISTORY = "..deploy.history..";
    private static final String QUEUE = "..deploy.queue..";
    private static final String REQUESTS = "..deploy.requests..";
    private static final String STATE = "..deploy.state..";
    private static final String ROLLOUT_API = "io.rinpoche.deploy.rollout";
    private static final String ENGINES = "..deploy.rollout.*..";
    private static final String METRICS = "..deploy.metrics..";
    private static final String WEB = "..deploy.web..";
    private static final String ANALYSIS = "..deploy.analysis..";
    private static final String PROMETHEUS = "..deploy.prometheus..";

    @Test
    void theModelDependsOnNothingOfTheService() {
        noClasses().that().resideInAPackage(MODEL)
                .should().dependOnClassesThat().resideInAnyPackage(HOOK, POLICY, HISTORY, QUEUE, REQUESTS, STATE,
                        ROLLOUT_API, ENGINES, METRICS, WEB, "org.springframework..", "tools.jackson..")
                .check(CLASSES);
    }

    @Test
    void hooksKnowOnlyTheModel() {
        noClasses().that().resideInAPackage(HOOK)
                .should().dependOnClassesThat().resideInAnyPackage(POLICY, HISTORY, QUEUE, REQUESTS, STATE, ROLLOUT_API,
                        ENGINES, METRICS, WEB, "org.springframework.web..", "jakarta.servlet..")
                .check(CLASSES);
    }

    @Test
    void thePolicyKnowsOnlyTheModel() {
        noClasses().that().resideInAPackage(POLICY)
                .should().dependOnClassesThat().resideInAnyPackage(HOOK, HISTORY, QUEUE, REQUESTS, STATE, ROLLOUT_API,
                        ENGINES, METRICS, WEB, "org.springframework.web..", "tools.jackson..")
                .check(CLASSES);
    }

    @Test
    void theEngineApiKnowsOnlyTheModel() {
        noClasses().that().resideInAPackage(ROLLOUT_API)
                .should().dependOnClassesThat().resideInAnyPackage(HOOK, POLICY, HISTORY, QUEUE, REQUESTS, STATE,
                        ENGINES, METRICS, WEB, "org.springframework..")
                .check(CLASSES);
    }

    @Test
    void enginesKnowOnlyTheEngineApiAndTheModel() {
        noClasses().that().resideInAPackage(ENGINES)
                .should().dependOnClassesThat().resideInAnyPackage(HOOK, POLICY, HISTORY, QUEUE, REQUESTS, STATE,
                        METRICS, WEB)
                .check(CLASSES);
    }

    @Test
    void onlyTheEnginesSpeakToDocker() {
        noClasses().that().resideOutsideOfPackage(ENGINES)
                .should().dependOnClassesThat().resideInAPackage("com.github.dockerjava..")
                .check(CLASSES);
    }

    @Test
    void theHistoryKnowsOnlyValues() {
        noClasses().that().resideInAPackage(HISTORY)
                .should().dependOnClassesThat().resideInAnyPackage(HOOK, POLICY, QUEUE, REQUESTS, STATE, ENGINES,
                        METRICS, WEB, "org.springframework..")
                .check(CLASSES);
    }

    @Test
    void theStateKnowsTheHistoryAndValuesButNoStepAroundIt() {
        noClasses().that().resideInAPackage(STATE)
                .should().dependOnClassesThat().resideInAnyPackage(HOOK, POLICY, QUEUE, REQUESTS, ENGINES, METRICS, WEB)
                .check(CLASSES);
    }

    @Test
    void theAnalysisJudgesFiguresAndKnowsOnlyTheModel() {
        noClasses().that().resideInAPackage(ANALYSIS)
                .should().dependOnClassesThat().resideInAnyPackage(HOOK, POLICY, HISTORY, QUEUE, REQUESTS, STATE,
                        ROLLOUT_API, ENGINES, METRICS, WEB)
                .check(CLASSES);
    }

    @Test
    void thePrometheusClientIsAClientOnly() {
        noClasses().that().resideInAPackage(PROMETHEUS)
                .should().dependOnClassesThat().resideInAnyPackage(MODEL, HOOK, POLICY, HISTORY, QUEUE, REQUESTS, STATE,
                        ROLLOUT_API, ENGINES, METRICS, WEB, ANALYSIS, "org.springframework..")
                .check(CLASSES);
    }

    @Test
    void theQueueRollsAndRecordsButKnowsNoCaller() {
        noClasses().that().resideInAPackage(QUEUE)
                .should().dependOnClassesThat().resideInAnyPackage(HOOK, POLICY, REQUESTS, STATE, ENGINES, WEB)
                .check(CLASSES);
    }

    @Test
    void onlyRequestsSubmitToTheQueue() {
        noClasses().that().resideOutsideOfPackages(QUEUE, REQUESTS)
                .should().dependOnClassesThat().resideInAPackage(QUEUE)
                .check(CLASSES);
        noClasses().that().resideOutsideOfPackage(QUEUE)
                .should().dependOnClassesThat().areAssignableTo(RolloutScheduler.class)
                .check(CLASSES);
    }

    @Test
    void requestsKnowNeitherTheWebNorAnEngine() {
        noClasses().that().resideInAPackage(REQUESTS)
                .should().dependOnClassesThat().resideInAnyPackage(WEB, ENGINES)
                .check(CLASSES);
    }

    @Test
    void theWebReachesDeploysOnlyThroughRequests() {
        noClasses().that().resideInAPackage(WEB)
                .should().dependOnClassesThat().resideInAnyPackage(QUEUE, STATE, ENGINES)
                .orShould().dependOnClassesThat().areAssignableTo(RolloutEngine.class)
                .check(CLASSES);
    }

    @Test
    void adaptersAndAuthenticatorsDoNotReachBackIntoTheIntake() {
        noClasses().that().resideInAnyPackage("..deploy.hook.adapter..", "..deploy.hook.auth..")
                .should().dependOnClassesThat().resideInAPackage("io.rinpoche.deploy.hook")
                .check(CLASSES);
        noClasses().that().resideInAPackage("..deploy.hook.auth..")
                .should().dependOnClassesThat().resideInAPackage("..deploy.hook.adapter..")
                .check(CLASSES);
    }

    @Test
    void onlyTheWebLayerSpeaksHttp() {
        noClasses().that().resideOutsideOfPackage(WEB)
                .should().dependOnClassesThat().resideInAnyPackage("org.springframework.web..", "jakarta.servlet..",
                        "org.springframework.http..")
                .check(CLASSES);
    }

    @Test
    void packagesHaveNoCycles() {
        slices().matching("io.rinpoche.deploy.(**)").should().beFreeOfCycles().check(CLASSES);
    }
}
