package io.rinpoche.deploy;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.rinpoche.deploy.rollout.ComposeEngineSettings;
import io.rinpoche.deploy.rollout.ComposeRolloutEngine;
import io.rinpoche.deploy.rollout.RolloutEngine;
import org.junit.jupiter.api.Test;

/**
 * The shape triggers -> policy -> plan -> apply, as dependencies: {@code web} composes {@code hook},
 * {@code policy} and {@code plan}, which know only {@code model}, never each other; {@code apply} implements
 * the queue with a {@code rollout} engine and writes the {@code history} (in memory, or the git {@code state});
 * the web reaches engines only through {@code apply}.
 */
class ArchitectureTest {

    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.rinpoche.deploy");

    @Test
    void theModelDependsOnNothingOfTheService() {
        noClasses().that().resideInAPackage("..deploy.model..")
                .should().dependOnClassesThat().resideInAnyPackage("..deploy.hook..", "..deploy.policy..",
                        "..deploy.plan..", "..deploy.web..", "..deploy.metrics..", "..deploy.apply..",
                        "..deploy.history..", "..deploy.rollout..", "org.springframework..", "tools.jackson..")
                .check(CLASSES);
    }

    @Test
    void hooksKnowNothingOfPolicyPlansOrTheWeb() {
        noClasses().that().resideInAPackage("..deploy.hook..")
                .should().dependOnClassesThat().resideInAnyPackage("..deploy.policy..", "..deploy.plan..",
                        "..deploy.web..", "..deploy.metrics..", "..deploy.apply..", "..deploy.history..",
                        "..deploy.rollout..", "org.springframework.web..", "jakarta.servlet..")
                .check(CLASSES);
    }

    @Test
    void thePolicyKnowsNothingOfHooksPlansQueuesOrTheWeb() {
        noClasses().that().resideInAPackage("..deploy.policy..")
                .should().dependOnClassesThat().resideInAnyPackage("..deploy.hook..", "..deploy.plan..",
                        "..deploy.web..", "..deploy.metrics..", "..deploy.apply..", "..deploy.history..",
                        "..deploy.rollout..", "org.springframework.web..", "tools.jackson..")
                .check(CLASSES);
    }

    @Test
    void theQueueKnowsOnlyPlans() {
        noClasses().that().resideInAPackage("..deploy.plan..")
                .should().dependOnClassesThat().resideInAnyPackage("..deploy.hook..", "..deploy.policy..",
                        "..deploy.web..", "..deploy.metrics..", "..deploy.apply..", "..deploy.history..",
                        "..deploy.rollout..")
                .check(CLASSES);
    }

    @Test
    void enginesKnowOnlyTheModel() {
        noClasses().that().resideInAPackage("..deploy.rollout..")
                .should().dependOnClassesThat().resideInAnyPackage("..deploy.hook..", "..deploy.policy..",
                        "..deploy.plan..", "..deploy.apply..", "..deploy.history..", "..deploy.web..",
                        "..deploy.metrics..")
                .check(CLASSES);
    }

    @Test
    void theHistoryKnowsOnlyValues() {
        noClasses().that().resideInAPackage("..deploy.history..")
                .should().dependOnClassesThat().resideInAnyPackage("..deploy.hook..", "..deploy.policy..",
                        "..deploy.plan..", "..deploy.apply..", "..deploy.web..", "..deploy.metrics..",
                        "org.springframework..")
                .check(CLASSES);
        noClasses().that().resideInAPackage("..deploy.history..")
                .should().dependOnClassesThat().areAssignableTo(RolloutEngine.class)
                .check(CLASSES);
    }

    @Test
    void applyKnowsNeitherHooksNorPoliciesNorTheWeb() {
        noClasses().that().resideInAPackage("..deploy.apply..")
                .should().dependOnClassesThat().resideInAnyPackage("..deploy.hook..", "..deploy.policy..",
                        "..deploy.web..")
                .check(CLASSES);
    }

    @Test
    void theStateKnowsOnlyValuesAndGit() {
        noClasses().that().resideInAPackage("..deploy.state..")
                .should().dependOnClassesThat().resideInAnyPackage("..deploy.hook..", "..deploy.policy..",
                        "..deploy.plan..", "..deploy.apply..", "..deploy.web..", "..deploy.metrics..")
                .orShould().dependOnClassesThat().areAssignableTo(RolloutEngine.class)
                .check(CLASSES);
    }

    @Test
    void theWebReachesEnginesOnlyThroughApply() {
        noClasses().that().resideInAPackage("..deploy.web..")
                .should().dependOnClassesThat().areAssignableTo(RolloutEngine.class)
                .orShould().dependOnClassesThat().areAssignableTo(ComposeEngineSettings.class)
                .check(CLASSES);
        noClasses().that().resideOutsideOfPackages("..deploy.rollout..", "..deploy.apply..")
                .should().dependOnClassesThat().areAssignableTo(ComposeRolloutEngine.class)
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
        noClasses().that().resideOutsideOfPackage("..deploy.web..")
                .should().dependOnClassesThat().resideInAnyPackage("org.springframework.web..", "jakarta.servlet..",
                        "org.springframework.http..")
                .check(CLASSES);
    }

    @Test
    void packagesHaveNoCycles() {
        slices().matching("io.rinpoche.deploy.(**)").should().beFreeOfCycles().check(CLASSES);
    }
}
