package io.rinpoche.jenkinsmaster;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The master's configuration as committed passes every static check; for each check a fixture that
 * breaks one thing (a copy of the real file with one edit) fails it with a message naming the fault.
 */
class MasterConfigTest {

    private static final Path MASTER = root().resolve("jenkins-master");
    private static final Path IMAGE = MASTER.resolve("image");
    private static final Path CASC = IMAGE.resolve("casc");
    private static final Path JOBS = IMAGE.resolve("jobs");
    private static final Path MODEL = MASTER.resolve("plugins/casc-model.yaml");
    private static final Path PLUGINS = IMAGE.resolve("plugins.txt");
    private static final Path COMPOSE = root().resolve("compose/platform/compose.yaml");
    private static final Path README = MASTER.resolve("README.md");
    private static final Path JENKINSFILE = root().resolve("examples/hello-django/Jenkinsfile");

    @TempDir
    Path broken;

    @Test
    void committedConfigurationPassesEveryCheck() {
        assertThat(MasterConfig.cascProblems(CASC, MODEL)).isEmpty();
        assertThat(MasterConfig.policyProblems(CASC)).isEmpty();
        assertThat(MasterConfig.pluginProblems(PLUGINS)).isEmpty();
        assertThat(MasterConfig.releaseProblems(CASC, JENKINSFILE, JOBS)).isEmpty();
        assertThat(MasterConfig.variableProblems(CASC, JOBS, MasterConfig.providedVariables(COMPOSE, README))).isEmpty();
        assertThat(MasterConfig.groovyProblems(List.of(JENKINSFILE, JOBS.resolve("apps.groovy")))).isEmpty();
        assertThat(MasterConfig.dockerfileProblems(IMAGE.resolve("Dockerfile"))).isEmpty();
    }

    @Test
    void theChecksLookAtSomething() {
        assertThat(MasterConfig.yamlFiles(CASC)).hasSizeGreaterThanOrEqualTo(4);
        assertThat(MasterConfig.groovyFiles(JOBS)).isNotEmpty();
        assertThat(MasterConfig.composeEnvironment(COMPOSE)).contains("JENKINS_ADMIN_PASSWORD", "REGISTRY_PASSWORD", "GITLAB_API_TOKEN");
    }

    @Test
    void aMisspeltDockerTemplateKeyIsNamedWithTheRightOne() throws IOException {
        Path casc = copyCasc("pullStrategy: PULL_NEVER", "pulStrategy: PULL_NEVER");

        assertThat(MasterConfig.cascProblems(casc, MODEL)).singleElement().asString().contains("jenkins.yaml")
                .contains("jenkins.clouds[0].docker.templates[0]: unknown key 'pulStrategy' for DockerTemplate, did you mean 'pullStrategy'?");
    }

    @Test
    void aRealDockerTemplateKeyTheOldSchemaRefusedIsAccepted() throws IOException {
        Path casc = copyCasc("pullStrategy: PULL_NEVER", "pullStrategy: PULL_NEVER\n            pullTimeout: 300");

        assertThat(MasterConfig.cascProblems(casc, MODEL)).isEmpty();
    }

    @Test
    void theGitLabBindingSymbolIsNoCredential() throws IOException {
        Path casc = copyCasc("credentials.yaml", "- gitLabApiTokenImpl:", "- gitlabApiToken:");

        assertThat(MasterConfig.cascProblems(casc, MODEL)).singleElement().asString().contains("credentials.yaml")
                .contains("credentials.system.domainCredentials[0].credentials[0]: 'gitlabApiToken' is no Credentials")
                .contains("gitLabApiTokenImpl");
    }

    @Test
    void anUnknownTopLevelKeyIsNamed() throws IOException {
        Path casc = copyCasc("unclassified.yaml", "unclassified:", "unclasified:");

        assertThat(MasterConfig.cascProblems(casc, MODEL)).singleElement().asString()
                .contains("unclassified.yaml: unknown top-level key 'unclasified', did you mean 'unclassified'?");
    }

    @Test
    void anEnumValueThatDoesNotExistIsNamed() throws IOException {
        Path casc = copyCasc("mode: EXCLUSIVE", "mode: EXCLUSIV");

        assertThat(MasterConfig.cascProblems(casc, MODEL)).singleElement().asString()
                .contains("jenkins.mode: 'EXCLUSIV' is not a Mode (one of [NORMAL, EXCLUSIVE])");
    }

    @Test
    void anOptionCoreNoLongerHasIsNamed() throws IOException {
        Path casc = copyCasc("crumbIssuer: \"standard\"", "crumbIssuer:\n    standard:\n      excludeClientIPFromCrumb: false");

        assertThat(MasterConfig.cascProblems(casc, MODEL)).singleElement().asString()
                .contains("jenkins.crumbIssuer.standard: unknown key 'excludeClientIPFromCrumb' for DefaultCrumbIssuer");
    }

    @Test
    void agentsThatArePulledOrKeptLongerBreakThePolicy() throws IOException {
        Path casc = copyCasc("idleMinutes: 1", "idleMinutes: 30");

        assertThat(MasterConfig.cascProblems(casc, MODEL)).isEmpty();
        assertThat(MasterConfig.policyProblems(casc)).singleElement().asString().contains("idleMinutes must be 1 (found [30, 1])");
    }

    @Test
    void aPasswordWrittenIntoCascBreaksThePolicy() throws IOException {
        Path casc = copyCasc("password: \"${JENKINS_ADMIN_PASSWORD}\"", "password: \"hunter2\"");

        assertThat(MasterConfig.policyProblems(casc)).singleElement().asString()
                .contains("jenkins.securityRealm.local.users[0].password must come from the environment as ${VAR}");
    }

    @Test
    void aGlobalRegistryCredentialIsRefused() throws IOException {
        Path casc = copyCasc("credentials.yaml", "              password: \"${GITLAB_API_TOKEN}\"",
                "              password: \"${GITLAB_API_TOKEN}\"\n          - usernamePassword:\n              id: \"registry\"\n"
                        + "              scope: GLOBAL\n              username: \"${REGISTRY_USER}\"\n              password: \"${REGISTRY_PASSWORD}\"");

        assertThat(MasterConfig.cascProblems(casc, MODEL)).isEmpty();
        assertThat(MasterConfig.releaseProblems(casc, JENKINSFILE, JOBS)).singleElement().asString()
                .contains("credentials.yaml: the registry password is a casc credential");
    }

    @Test
    void aBranchPipelineThatPushesItselfIsRefused() throws IOException {
        Path jenkinsfile = broken.resolve("Jenkinsfile");
        Files.writeString(jenkinsfile, Files.readString(JENKINSFILE).replace("sh 'examples/hello-django/ci/build'",
                "sh 'examples/hello-django/ci/build'\n withCredentials([usernamePassword(credentialsId: 'registry-push', "
                        + "usernameVariable: 'U', passwordVariable: 'P')]) { sh 'examples/hello-django/ci/push' }"));

        assertThat(MasterConfig.releaseProblems(CASC, jenkinsfile, JOBS)).hasSize(4).allSatisfy(p -> assertThat(p).contains("only releases/<app> pushes"));
    }

    @Test
    void aPushCredentialOutsideTheReleasesFolderIsRefused() throws IOException {
        Path jobs = Files.createDirectories(broken.resolve("jobs"));
        Files.writeString(jobs.resolve("apps.groovy"), Files.readString(JOBS.resolve("apps.groovy"))
                .replace("folder('releases')", "folder('everyone')"));

        assertThat(MasterConfig.releaseProblems(CASC, JENKINSFILE, jobs)).singleElement().asString()
                .contains("registry-push must be defined once, in folder('releases')");
    }

    @Test
    void privilegedAgentsNeverGetTheHostsCgroupTree() throws Exception {
        assertThat(agentFlags("true")).isEqualTo("caps=[] opts=[] mounts=[]");
        assertThat(agentFlags("false")).isEqualTo("caps=[ALL] opts=[seccomp=unconfined apparmor=unconfined systempaths=unconfined]"
                + " mounts=[type=bind,source=/sys/fs/cgroup,destination=/sys/fs/cgroup]");
        assertThat(agentFlags("yes")).contains("JENKINS_AGENT_PRIVILEGED must be true or false");
    }

    @Test
    void aTemplateThatMountsTheCgroupTreeItselfBreaksThePolicy() throws IOException {
        Path casc = copyCasc("mountsString: \"${JENKINS_AGENT_MOUNTS}\"", "mountsString: \"type=bind,source=/sys/fs/cgroup,destination=/sys/fs/cgroup\"");

        assertThat(MasterConfig.policyProblems(casc)).singleElement().asString().contains("mountsString must be ${JENKINS_AGENT_MOUNTS}");
    }

    /** image/agent-flags.sh run by bash with JENKINS_AGENT_PRIVILEGED set to {@code privileged}. */
    private static String agentFlags(String privileged) throws Exception {
        ProcessBuilder builder = new ProcessBuilder("bash", "-c", "source \"$0\" && agent_dind_flags && echo \"caps=[$JENKINS_AGENT_CAPABILITIES]"
                + " opts=[${JENKINS_AGENT_SECURITY_OPTS//$'\\n'/ }] mounts=[$JENKINS_AGENT_MOUNTS]\"", IMAGE.resolve("agent-flags.sh").toString())
                .redirectErrorStream(true);
        builder.environment().put("JENKINS_AGENT_PRIVILEGED", privileged);
        Process bash = builder.start();
        bash.getOutputStream().close();
        String out = new String(bash.getInputStream().readAllBytes()).strip();
        bash.waitFor();
        return out;
    }

    @Test
    void invalidYamlIsReportedAsSuch() throws IOException {
        Path casc = copyCasc("  numExecutors: 0", "  numExecutors: [0");

        assertThat(MasterConfig.cascProblems(casc, MODEL)).singleElement().asString().contains("jenkins.yaml: not YAML");
    }

    @Test
    void unpinnedOrDuplicatePluginsAreRefused() throws IOException {
        Path plugins = broken.resolve("plugins.txt");
        Files.writeString(plugins, Files.readString(PLUGINS)
                .replace("job-dsl:1.93", "job-dsl:latest") + "git\ngit:5.10.1\n");

        assertThat(MasterConfig.pluginProblems(plugins)).anySatisfy(p -> assertThat(p).contains("'job-dsl:latest' is not pinned"))
                .anySatisfy(p -> assertThat(p).contains("'git' is not pinned"))
                .anySatisfy(p -> assertThat(p).contains("git is listed twice"));
    }

    @Test
    void aMissingRequiredPluginIsNamed() throws IOException {
        Path plugins = broken.resolve("plugins.txt");
        Files.writeString(plugins, Files.readString(PLUGINS).replace("docker-plugin:" + PluginSet.pins(PLUGINS).get("docker-plugin") + "\n", ""));

        assertThat(MasterConfig.pluginProblems(plugins)).singleElement().asString().contains("required plugin docker-plugin is missing");
    }

    @Test
    void aVariableNobodyProvidesIsNamed() throws IOException {
        Path casc = copyCasc("unclassified.yaml", "url: \"${JENKINS_URL}\"", "url: \"${JENKINS_PUBLIC_URL}\"");

        assertThat(MasterConfig.variableProblems(casc, JOBS, MasterConfig.providedVariables(COMPOSE, README)))
                .singleElement().asString().contains("unclassified.yaml").contains("${JENKINS_PUBLIC_URL} is neither set");
    }

    @Test
    void escapedAndDefaultedVariablesNeedNoProvider() throws IOException {
        Path casc = copyCasc("unclassified.yaml", "url: \"${JENKINS_URL}\"", "url: \"${JENKINS_URL}\"\n    adminAddress: \"^${NOT_A_VAR} ${OPTIONAL:-ci@example.org}\"");

        assertThat(MasterConfig.variableProblems(casc, JOBS, Set.of("JENKINS_URL", "GITLAB_URL", "JENKINS_ADMIN_USER", "JENKINS_ADMIN_PASSWORD",
                "REGISTRY_ADDRESS", "JENKINS_AGENT_CAP", "JENKINS_AGENT_IMAGE", "JENKINS_AGENT_NETWORK", "JENKINS_AGENT_PRIVILEGED",
                "GITLAB_API_TOKEN", "REGISTRY_USER", "REGISTRY_PASSWORD", "APP_REPOSITORY_URL", "GITLAB_PROJECT", "JENKINS_RELEASE_NETWORK",
                "JENKINS_AGENT_CAPABILITIES", "JENKINS_AGENT_SECURITY_OPTS", "JENKINS_AGENT_MOUNTS"))).isEmpty();
    }

    @Test
    void aJobScriptReadingAnUnprovidedVariableIsNamed() throws IOException {
        Path jobs = Files.createDirectories(broken.resolve("jobs"));
        Files.writeString(jobs.resolve("seed.groovy"), "String url = System.getenv('TEAM_REPO_URL')\n");

        assertThat(MasterConfig.variableProblems(CASC, jobs, MasterConfig.providedVariables(COMPOSE, README)))
                .singleElement().asString().contains("seed.groovy").contains("${TEAM_REPO_URL}");
    }

    @Test
    void groovyThatDoesNotParseIsReportedWithItsLine() throws IOException {
        Path jenkinsfile = broken.resolve("Jenkinsfile");
        Files.writeString(jenkinsfile, Files.readString(JENKINSFILE).replace("stage('build') {", "stage('build') {{"));

        assertThat(MasterConfig.groovyProblems(List.of(jenkinsfile))).singleElement().asString()
                .contains("Jenkinsfile: does not parse as Groovy").containsPattern("line \\d+");
    }

    @Test
    void aWarWithoutVerifiedChecksumIsRefused() throws IOException {
        Path dockerfile = broken.resolve("Dockerfile");
        String text = Files.readString(IMAGE.resolve("Dockerfile"));
        Files.writeString(dockerfile, text.replace(" \\\n && echo \"$JENKINS_WAR_SHA256  /usr/share/jenkins/jenkins.war\" | sha256sum -c -", "")
                .replace("ARG JENKINS_VERSION=2.568.3", "ARG JENKINS_VERSION=latest"));

        assertThat(MasterConfig.dockerfileProblems(dockerfile)).hasSize(2)
                .anySatisfy(p -> assertThat(p).contains("must verify the downloaded war with sha256sum"))
                .anySatisfy(p -> assertThat(p).contains("must pin an LTS war"));
    }

    @Test
    void aPluginManagerWithoutVerifiedChecksumIsRefused() throws IOException {
        Path dockerfile = broken.resolve("Dockerfile");
        String text = Files.readString(IMAGE.resolve("Dockerfile"));
        Files.writeString(dockerfile, text.replaceAll("(?m)^ARG PLUGIN_MANAGER_SHA256=.*$", "ARG PLUGIN_MANAGER_SHA256=")
                .replace(" && echo \"$PLUGIN_MANAGER_SHA256", " && [ -z \"$PLUGIN_MANAGER_SHA256\" ] || echo \"$PLUGIN_MANAGER_SHA256"));

        assertThat(MasterConfig.dockerfileProblems(dockerfile)).hasSize(2)
                .anySatisfy(p -> assertThat(p).contains("must pin the plugin manager's checksum"))
                .anySatisfy(p -> assertThat(p).contains("must always verify the plugin manager jar"));
    }

    @Test
    void pluginsInstalledAtLatestAreRefused() throws IOException {
        Path dockerfile = broken.resolve("Dockerfile");
        Files.writeString(dockerfile, Files.readString(IMAGE.resolve("Dockerfile")).replace("--latest=false", "--latest=true"));

        assertThat(MasterConfig.dockerfileProblems(dockerfile)).singleElement().asString().contains("--latest=false");
    }

    /** A copy of the casc folder with the first occurrence replaced in jenkins.yaml (or in the file named first). */
    @Test
    void jenkinsGetsItsSecretsAsFilesOnly() throws IOException {
        assertThat(MasterConfig.secretValueProblems(COMPOSE)).isEmpty();
        assertThat(MasterConfig.jenkinsService(COMPOSE).secrets()).hasSize(MasterConfig.SECRET_FILES.size());

        Path asValue = broken.resolve("compose.yaml");
        Files.writeString(asValue, Files.readString(COMPOSE).replace(
                "REGISTRY_PASSWORD_FILE: /run/secrets/JENKINS_REGISTRY_PASSWORD", "REGISTRY_PASSWORD: ${REGISTRY_PASSWORD}"));
        assertThat(MasterConfig.secretValueProblems(asValue)).singleElement().asString()
                .contains("jenkins gets REGISTRY_PASSWORD as a value");

        Path notMounted = broken.resolve("compose-unmounted.yaml");
        Files.writeString(notMounted, Files.readString(COMPOSE).replace(
                "secrets: [JENKINS_ADMIN_PASSWORD, JENKINS_GITLAB_API_TOKEN, JENKINS_REGISTRY_PASSWORD]",
                "secrets: [JENKINS_ADMIN_PASSWORD, JENKINS_GITLAB_API_TOKEN]"));
        assertThat(MasterConfig.secretValueProblems(notMounted)).singleElement().asString()
                .contains("REGISTRY_PASSWORD_FILE=/run/secrets/JENKINS_REGISTRY_PASSWORD is no compose secret it mounts");
    }

    @Test
    void theEntrypointReadsEachSecretFileIntoItsVariable() throws Exception {
        Path file = Files.writeString(broken.resolve("password"), "s3cret value");

        assertThat(readSecretFiles(Map.of("REGISTRY_PASSWORD_FILE", file.toString())))
                .isEqualTo("REGISTRY_PASSWORD=[s3cret value] REGISTRY_PASSWORD_FILE=[]");
        assertThat(readSecretFiles(Map.of("REGISTRY_PASSWORD", "plain"))).isEqualTo("REGISTRY_PASSWORD=[plain] REGISTRY_PASSWORD_FILE=[]");
        assertThat(readSecretFiles(Map.of("REGISTRY_PASSWORD_FILE", file.toString(), "REGISTRY_PASSWORD", "plain")))
                .contains("error: both REGISTRY_PASSWORD and REGISTRY_PASSWORD_FILE are set");
        assertThat(readSecretFiles(Map.of("REGISTRY_PASSWORD_FILE", broken.resolve("missing").toString())))
                .contains("error: REGISTRY_PASSWORD_FILE=" + broken.resolve("missing") + ": cannot read that file");
    }

    /** image/secret-files.sh run by bash with {@code env}: read_secret_files REGISTRY_PASSWORD, then what it left. */
    private static String readSecretFiles(Map<String, String> env) throws Exception {
        ProcessBuilder builder = new ProcessBuilder("bash", "-c", "source \"$0\" && read_secret_files REGISTRY_PASSWORD"
                + " && echo \"REGISTRY_PASSWORD=[${REGISTRY_PASSWORD:-}] REGISTRY_PASSWORD_FILE=[${REGISTRY_PASSWORD_FILE:-}]\"",
                IMAGE.resolve("secret-files.sh").toString()).redirectErrorStream(true);
        builder.environment().remove("REGISTRY_PASSWORD");
        builder.environment().remove("REGISTRY_PASSWORD_FILE");
        builder.environment().putAll(env);
        Process bash = builder.start();
        bash.getOutputStream().close();
        String out = new String(bash.getInputStream().readAllBytes()).strip();
        bash.waitFor();
        return out;
    }

    private Path copyCasc(String from, String to) throws IOException {
        return copyCasc("jenkins.yaml", from, to);
    }

    private Path copyCasc(String file, String from, String to) throws IOException {
        Path casc = Files.createDirectories(broken.resolve("casc"));
        for (Path source : MasterConfig.yamlFiles(CASC)) {
            Files.copy(source, casc.resolve(source.getFileName()));
        }
        String text = Files.readString(casc.resolve(file));
        assertThat(text).as("fixture edit applies to %s", file).contains(from);
        Files.writeString(casc.resolve(file), text.replaceFirst(java.util.regex.Pattern.quote(from), java.util.regex.Matcher.quoteReplacement(to)));
        return casc;
    }

    private static Path root() {
        String root = System.getProperty("rinpoche.root");
        Path dir = root != null ? Path.of(root) : Path.of("").toAbsolutePath();
        while (!Files.exists(dir.resolve("IMAGE_TAG"))) {
            dir = dir.getParent();
        }
        return dir;
    }
}
