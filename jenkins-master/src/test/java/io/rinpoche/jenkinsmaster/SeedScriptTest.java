package io.rinpoche.jenkinsmaster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import groovy.lang.Binding;
import groovy.lang.Closure;
import groovy.lang.GroovyShell;
import groovy.lang.Script;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.codehaus.groovy.control.CompilerConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job-dsl seed (image/jobs/apps.groovy) run by Groovy against the catalogue's list for Jenkins, with a
 * stand-in for job-dsl that records every DSL call, indented by its nesting: one multibranch job and one release
 * job per app, each release pipeline filled in for its app and still passing the DSL check.
 */
class SeedScriptTest {

    private static final Path ROOT = Roots.repository();
    private static final Path SEED = ROOT.resolve("jenkins-master/image/jobs/apps.groovy");
    private static final Path RELEASE = ROOT.resolve("jenkins-master/image/pipelines/release.groovy");

    @TempDir
    Path dir;

    @Test
    void everyCataloguedAppGetsItsBranchJobAndItsReleaseJob() throws IOException {
        List<String> calls = seed("""
                # generated
                hello-django\texamples/hello-django\thello-django
                shop\tapps/shop\tteam/shop
                """);

        assertThat(calls).containsSubsequence("folder(releases)", "              id(registry-push)", "multibranchPipelineJob(hello-django)",
                "multibranchPipelineJob(shop)", "pipelineJob(releases/shop)");
        assertThat(calls).contains("      scriptPath(examples/hello-django/Jenkinsfile)", "      scriptPath(apps/shop/Jenkinsfile)",
                "          projectPath(team/rinpoche)", "pipelineJob(releases/hello-django)");
        assertThat(calls.stream().filter(call -> call.startsWith("folder(")).count()).isOne();
        String shopRelease = releaseScript(calls, "releases/shop");
        assertThat(shopRelease).contains("sh 'apps/shop/ci/push'", "IMAGE_NAME = 'team/shop'").doesNotContain("@APP_", "hello-django");
        Path filled = Files.writeString(dir.resolve("shop-release.groovy"), shopRelease);
        assertThat(DslCheck.read(ROOT.resolve("jenkins-master/plugins/dsl-model.yaml")).jenkinsfileProblems(filled)).isEmpty();
    }

    @Test
    void anEmptyCatalogueMakesOnlyTheReleasesFolder() throws IOException {
        assertThat(seed("# no apps\n")).noneMatch(call -> call.contains("Job("));
    }

    @Test
    void aMalformedLineFailsTheSeedNamingIt() {
        assertThatThrownBy(() -> seed("shop\tapps/shop\tteam/shop\nblog apps/blog blog\n"))
                .hasMessageContaining("apps.tsv:2: expected name, code folder and image separated by tabs: blog apps/blog blog");
    }

    @Test
    void aMissingListFailsTheSeedSayingWhereItComesFrom() {
        assertThatThrownBy(() -> run(Map.of("APPS_FILE", dir.resolve("none.tsv").toString())))
                .hasMessageContaining("none.tsv is missing: ./platform up writes it from the app catalogue");
    }

    private List<String> seed(String list) throws IOException {
        Path file = Files.writeString(dir.resolve("apps.tsv"), list);
        return run(Map.of("APPS_FILE", file.toString()));
    }

    private List<String> run(Map<String, String> settings) throws IOException {
        Binding binding = new Binding();
        binding.setVariable("GITLAB_PROJECT", "team/rinpoche");
        binding.setVariable("REGISTRY_USER", "rinpoche");
        binding.setVariable("REGISTRY_PASSWORD", "not-a-secret");
        binding.setVariable("RELEASE_PIPELINE", RELEASE.toString());
        settings.forEach(binding::setVariable);
        List<String> calls = new ArrayList<>();
        binding.setVariable("calls", calls);
        CompilerConfiguration config = new CompilerConfiguration();
        config.setScriptBaseClass(JobDsl.class.getName());
        new GroovyShell(SeedScriptTest.class.getClassLoader(), binding, config).evaluate(SEED.toFile());
        return calls;
    }

    /** The argument of the script(...) call inside the pipeline job {@code job}. */
    private static String releaseScript(List<String> calls, String job) {
        int start = calls.indexOf("pipelineJob(" + job + ")");
        return calls.subList(start, calls.size()).stream().map(String::strip).filter(call -> call.startsWith("script("))
                .findFirst().map(call -> call.substring("script(".length(), call.length() - 1)).orElseThrow();
    }

    /** job-dsl's methods, recorded: name(arguments), then the closure run one level deeper. */
    public abstract static class JobDsl extends Script {

        private int depth;

        @SuppressWarnings("unchecked")
        public Object methodMissing(String name, Object args) {
            Object[] values = (Object[]) args;
            List<String> plain = new ArrayList<>();
            Closure<?> body = null;
            for (Object value : values) {
                if (value instanceof Closure<?> closure) {
                    body = closure;
                } else {
                    plain.add(String.valueOf(value));
                }
            }
            ((List<String>) getBinding().getVariable("calls")).add("  ".repeat(depth) + name + "(" + String.join(", ", plain) + ")");
            if (body != null) {
                depth++;
                body.call();
                depth--;
            }
            return null;
        }
    }
}
