package io.rinpoche.jenkinsmaster;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pinned core and plugins form a closed, consistent set according to what each release's own pom
 * requires (plugins/metadata.yaml). Each negative case breaks one pin of a copy of the real files.
 */
class PluginSetTest {

    private static final Path MASTER = Roots.repository().resolve("jenkins-master");
    private static final Path METADATA = MASTER.resolve("plugins/metadata.yaml");
    private static final Path PLUGINS = MASTER.resolve("image/plugins.txt");
    private static final Path DOCKERFILE = MASTER.resolve("image/Dockerfile");

    @TempDir
    Path broken;

    @Test
    void everyRequirementOfEveryPinnedReleaseIsMet() {
        assertThat(PluginSet.read(METADATA).problems(PLUGINS, DOCKERFILE)).isEmpty();
    }

    @Test
    void theSetIsTheWholeClosureOfWhatTheMasterUses() {
        assertThat(PluginSet.pins(PLUGINS)).hasSizeGreaterThan(50)
                .containsKeys("configuration-as-code", "job-dsl", "gitlab-branch-source", "docker-plugin", "pipeline-model-definition",
                        "structs", "scm-api", "workflow-api", "git-client");
        // Only plugins with no readable sources may go unchecked, and they are named.
        assertThat(PluginSet.read(METADATA).unread()).containsExactly("woodstox-core-api");
    }

    @Test
    void aPinOlderThanADependentRequiresIsNamed() throws IOException {
        String credentials = PluginSet.pins(PLUGINS).get("credentials");
        Path plugins = replaced(PLUGINS, "credentials:" + credentials + "\n", "credentials:1415.v831096eb_5534\n");
        Path metadata = replaced(METADATA, "version: \"" + credentials + "\"", "version: \"1415.v831096eb_5534\"");

        assertThat(PluginSet.read(metadata).problems(plugins, DOCKERFILE))
                .anySatisfy(p -> assertThat(p).startsWith("git:").contains("requires credentials").endsWith("plugins.txt pins credentials:1415.v831096eb_5534"));
    }

    @Test
    void aMissingDependencyIsNamed() throws IOException {
        String structs = PluginSet.pins(PLUGINS).get("structs");
        Path plugins = replaced(PLUGINS, "structs:" + structs + "\n", "");

        assertThat(PluginSet.read(METADATA).problems(plugins, DOCKERFILE))
                .anySatisfy(p -> assertThat(p).contains("requires structs").endsWith("which plugins.txt does not pin"));
    }

    @Test
    void aCoreOlderThanAPluginNeedsIsNamed() throws IOException {
        Path dockerfile = replaced(DOCKERFILE, "ARG JENKINS_VERSION=2.568.3", "ARG JENKINS_VERSION=2.528.3");
        Path metadata = replaced(METADATA, "core: \"2.568.3\"", "core: \"2.528.3\"");

        assertThat(PluginSet.read(metadata).problems(PLUGINS, dockerfile))
                .anySatisfy(p -> assertThat(p).startsWith("workflow-api:").endsWith("requires Jenkins 2.532 or newer; the Dockerfile pins 2.528.3"));
    }

    @Test
    void anOptionalDependencyThatIsInstalledMustBeNewEnough() throws IOException {
        String casc = PluginSet.pins(PLUGINS).get("configuration-as-code");
        Path plugins = replaced(PLUGINS, "configuration-as-code:" + casc + "\n", "configuration-as-code:1.0\n");
        Path metadata = replaced(METADATA, "version: \"" + casc + "\"", "version: \"1.0\"");

        assertThat(PluginSet.read(metadata).problems(plugins, DOCKERFILE))
                .anySatisfy(p -> assertThat(p).startsWith("credentials:").contains("requires configuration-as-code").contains("(optional, but installed)"));
    }

    @Test
    void aPinTheMetadataWasNotGeneratedForIsRefused() throws IOException {
        String jobDsl = PluginSet.pins(PLUGINS).get("job-dsl");
        Path plugins = replaced(PLUGINS, "job-dsl:" + jobDsl + "\n", "job-dsl:1.77\nunused-job-dsl:1.0\n");
        Path dockerfile = replaced(DOCKERFILE, "ARG JENKINS_VERSION=2.568.3", "ARG JENKINS_VERSION=2.568.4");

        assertThat(PluginSet.read(METADATA).problems(plugins, dockerfile))
                .anySatisfy(p -> assertThat(p).contains("pins job-dsl:1.77 but plugins/metadata.yaml describes job-dsl:").endsWith("regenerate.sh"))
                .anySatisfy(p -> assertThat(p).contains("describes no unused-job-dsl"))
                .anySatisfy(p -> assertThat(p).startsWith("the Dockerfile pins core 2.568.4 but plugins/metadata.yaml was generated for 2.568.3"));
    }

    @Test
    void aPluginBuiltForACoreBeforeASplitNeedsTheDetachedPlugin() throws IOException {
        // javax-mail-api left core in 2.330: a release built for 2.300 still expects it from core.
        Path metadata = replaced(METADATA, "jenkins: \"2.479.1\"", "jenkins: \"2.300\"");

        assertThat(PluginSet.read(metadata).problems(PLUGINS, DOCKERFILE))
                .anySatisfy(p -> assertThat(p).isEqualTo("antisamy-markup-formatter:" + PluginSet.pins(PLUGINS).get("antisamy-markup-formatter")
                        + " requires javax-mail-api 1.6.2-5 or newer, which plugins.txt does not pin"));
    }

    private Path replaced(Path file, String from, String to) throws IOException {
        String text = Files.readString(file);
        assertThat(text).as("fixture edit applies to %s", file).contains(from);
        Path copy = Files.createTempFile(broken, file.getFileName().toString(), "");
        Files.writeString(copy, text.replaceFirst(java.util.regex.Pattern.quote(from), java.util.regex.Matcher.quoteReplacement(to)));
        return copy;
    }
}
