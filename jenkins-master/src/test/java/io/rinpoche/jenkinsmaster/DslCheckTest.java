package io.rinpoche.jenkinsmaster;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Jenkinsfile's declarative structure and the job scripts' method names, against the generated DSL model. */
class DslCheckTest {

    private static final Path ROOT = Roots.repository();
    private static final Path JENKINSFILE = ROOT.resolve("examples/hello-django/Jenkinsfile");
    private static final Path JOB = ROOT.resolve("jenkins-master/image/jobs/apps.groovy");
    private static final DslCheck CHECK = DslCheck.read(ROOT.resolve("jenkins-master/plugins/dsl-model.yaml"));

    @TempDir
    Path broken;

    @Test
    void theCommittedPipelinesAndJobsUseOnlyKnownNames() {
        assertThat(CHECK.jenkinsfileProblems(JENKINSFILE)).isEmpty();
        for (Path pipeline : MasterConfig.groovyFiles(ROOT.resolve("jenkins-master/image/pipelines"))) {
            assertThat(CHECK.jenkinsfileProblems(pipeline)).as(pipeline.toString()).isEmpty();
        }
        for (Path job : MasterConfig.groovyFiles(ROOT.resolve("jenkins-master/image/jobs"))) {
            assertThat(CHECK.jobDslProblems(job)).as(job.toString()).isEmpty();
        }
    }

    @Test
    void aMisspeltSectionIsNamed() throws IOException {
        Path file = copy(JENKINSFILE, "    stages {", "    stagez {");

        assertThat(CHECK.jenkinsfileProblems(file)).singleElement().asString()
                .contains("'stagez' is not allowed in pipeline, did you mean 'stages'?");
    }

    @Test
    void aMisspeltDirectiveIsNamed() throws IOException {
        Path file = copy(JENKINSFILE, "    agent {", "    agnt {");

        assertThat(CHECK.jenkinsfileProblems(file)).singleElement().asString()
                .contains("'agnt' is not allowed in pipeline, did you mean 'agent'?");
    }

    @Test
    void anUnknownStepOrConditionIsNamed() throws IOException {
        Path file = copy(copy(JENKINSFILE, "sh 'examples/hello-django/ci/test'", "shell 'examples/hello-django/ci/test'"),
                "when {", "when {\n                branchh 'x'");

        assertThat(CHECK.jenkinsfileProblems(file))
                .anySatisfy(p -> assertThat(p).contains("'shell' is not allowed in pipeline.stages.stage.steps"))
                .anySatisfy(p -> assertThat(p).contains("'branchh' is not allowed in pipeline.stages.stage.when, did you mean 'branch'?"));
    }

    @Test
    void aMisspeltJobDslMethodIsNamed() throws IOException {
        Path file = copy(JOB, "    factory {", "    gti {\n    }\n    factory {");

        assertThat(CHECK.jobDslProblems(file)).singleElement().asString().contains(":").contains("'gti' is no job-dsl method, did you mean 'git'?");
    }

    private Path copy(Path file, String from, String to) throws IOException {
        String text = Files.readString(file);
        assertThat(text).as("fixture edit applies to %s", file).contains(from);
        Path copy = Files.createTempFile(broken, file.getFileName().toString(), ".groovy");
        Files.writeString(copy, text.replace(from, to));
        return copy;
    }
}
