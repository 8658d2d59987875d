package io.rinpoche.jenkinsmaster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.codehaus.groovy.control.CompilationFailedException;
import org.codehaus.groovy.control.CompilationUnit;
import org.codehaus.groovy.control.Phases;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Static checks of the Jenkins master's configuration (Jenkins itself cannot be downloaded here).
 * Each returns its problems as messages naming the file and what to fix; no problem, empty list.
 */
final class MasterConfig {

    /** Plugins the issue asks for, whatever the casc uses. */
    static final List<String> REQUIRED_PLUGINS = List.of("configuration-as-code", "docker-plugin", "gitlab-plugin",
            "gitlab-branch-source", "pipeline-model-definition", "workflow-multibranch", "job-dsl", "credentials", "matrix-auth",
            "junit", "docker-workflow");

    /** Keys whose values are secrets. */
    private static final Pattern SECRET = Pattern.compile("\\.(password|apiToken|token|secret)$");
    /** Path pattern (indexes as [n]) -> the value every match must have; at least one must match. */
    private static final Map<String, String> POLICY = Map.of(
            "jenkins\\.securityRealm\\.local\\.allowsSignup", "false",
            "jenkins\\.clouds\\[\\d+]\\.docker\\.templates\\[\\d+]\\.pullStrategy", "PULL_NEVER",
            "jenkins\\.clouds\\[\\d+]\\.docker\\.templates\\[\\d+]\\.removeVolumes", "true",
            "jenkins\\.clouds\\[\\d+]\\.docker\\.templates\\[\\d+]\\.retentionStrategy\\.idleMinutes", "1",
            "jenkins\\.clouds\\[\\d+]\\.docker\\.templates\\[\\d+]\\.connector\\.attach\\.user", "jenkins",
            // docker-entrypoint.sh derives the mounts from the privileged switch (image/agent-flags.sh): never both.
            "jenkins\\.clouds\\[\\d+]\\.docker\\.templates\\[\\d+]\\.dockerTemplateBase\\.privileged", "${JENKINS_AGENT_PRIVILEGED}",
            "jenkins\\.clouds\\[\\d+]\\.docker\\.templates\\[\\d+]\\.dockerTemplateBase\\.mountsString", "${JENKINS_AGENT_MOUNTS}");

    private static final Pattern PIN = Pattern.compile("^([a-z0-9][a-z0-9._-]*):([0-9][0-9A-Za-z._+-]*)$");
    /** ${NAME} without a default; ^${NAME} is JCasC's escape and is left alone. */
    private static final Pattern VARIABLE = Pattern.compile("(?<!\\^)\\$\\{([A-Za-z_][A-Za-z0-9_]*)(:-[^}]*)?}");
    /** System.getenv('X'), or the job scripts' required('X', ...) that wraps it. */
    private static final Pattern GETENV = Pattern.compile("(?:System\\.getenv|required)\\(\\s*'([A-Za-z_][A-Za-z0-9_]*)'");
    private static final Pattern DOCUMENTED = Pattern.compile("^\\| `([A-Z_][A-Z0-9_]*)` \\|", Pattern.MULTILINE);

    private MasterConfig() {
    }

    /**
     * Every casc file parses as YAML and means something to the pinned core and plugins: its keys, names and
     * enum values are checked against plugins/casc-model.yaml (generated from their sources).
     */
    static List<String> cascProblems(Path cascDir, Path modelFile) {
        CascCheck model = CascCheck.read(modelFile);
        List<String> problems = new ArrayList<>();
        for (Path file : yamlFiles(cascDir)) {
            try {
                new Yaml().load(read(file));
            } catch (YAMLException e) {
                problems.add(file + ": not YAML: " + e.getMessage());
                continue;
            }
            problems.addAll(model.problems(file));
        }
        return problems;
    }

    /**
     * The rules this master keeps on top of what JCasC accepts: signup off, secrets only as ${VAR}, agents
     * never pulled, removed with their volumes after one idle minute, connected by attaching.
     */
    static List<String> policyProblems(Path cascDir) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (Path file : yamlFiles(cascDir)) {
            flatten(loadYaml(file), "", values);
        }
        List<String> problems = new ArrayList<>();
        values.forEach((path, value) -> {
            if (SECRET.matcher(path).find() && !String.valueOf(value).matches("\\$\\{[A-Z_][A-Z0-9_]*}")) {
                problems.add(cascDir + ": " + path + " must come from the environment as ${VAR}, never written into casc");
            }
        });
        POLICY.forEach((pattern, expected) -> {
            List<Object> found = values.entrySet().stream().filter(e -> e.getKey().matches(pattern)).map(Map.Entry::getValue).toList();
            if (found.isEmpty() || found.stream().anyMatch(v -> !expected.equals(String.valueOf(v)))) {
                problems.add(cascDir + ": " + pattern.replace("\\", "") + " must be " + expected + " (found " + found + ")");
            }
        });
        return problems;
    }

    private static void flatten(Object node, String prefix, Map<String, Object> values) {
        if (node instanceof Map<?, ?> map) {
            map.forEach((k, v) -> flatten(v, prefix.isEmpty() ? String.valueOf(k) : prefix + "." + k, values));
        } else if (node instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                flatten(list.get(i), prefix + "[" + i + "]", values);
            }
        } else {
            values.put(prefix, node);
        }
    }

    /** Every line of plugins.txt is pinned, once, and the plugins the master uses are there. */
    static List<String> pluginProblems(Path pluginsFile) {
        List<String> problems = new ArrayList<>();
        Map<String, String> pinned = new LinkedHashMap<>();
        List<String> lines = read(pluginsFile).lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            Matcher pin = PIN.matcher(line);
            if (!pin.matches()) {
                problems.add(pluginsFile + ":" + (i + 1) + ": '" + line + "' is not pinned as <plugin>:<version> (no latest, experimental or URL)");
            } else if (pinned.put(pin.group(1), pin.group(2)) != null) {
                problems.add(pluginsFile + ":" + (i + 1) + ": " + pin.group(1) + " is listed twice");
            }
        }
        for (String plugin : REQUIRED_PLUGINS) {
            if (!pinned.containsKey(plugin) && lines.stream().noneMatch(l -> l.strip().startsWith(plugin + ":"))) {
                problems.add(pluginsFile + ": required plugin " + plugin + " is missing");
            }
        }
        return problems;
    }

    /**
     * Only the release job can push: no casc credential holds the registry password (global credentials are
     * open to every branch's Jenkinsfile), the app's Jenkinsfile binds no credential and never runs ci/push,
     * and the push credential exists only in the folder `releases` the job scripts make.
     */
    static List<String> releaseProblems(Path cascDir, Path jenkinsfile, Path jobsDir) {
        List<String> problems = new ArrayList<>();
        for (Path file : yamlFiles(cascDir)) {
            if (read(file).replaceAll("(?m)^\\s*#.*$", "").contains("${REGISTRY_PASSWORD}")) {
                problems.add(file + ": the registry password is a casc credential, which every branch's Jenkinsfile can bind;"
                        + " only the folder `releases` may hold it (image/jobs)");
            }
        }
        String pipeline = read(jenkinsfile).replaceAll("(?m)//.*$", "");
        for (String forbidden : List.of("withCredentials", "registry-push", "ci/push", "usernamePassword")) {
            if (pipeline.contains(forbidden)) {
                problems.add(jenkinsfile + ": uses " + forbidden + ": a branch's pipeline tests and builds; only releases/<app> pushes");
            }
        }
        String jobs = String.join("\n", groovyFiles(jobsDir).stream().map(MasterConfig::read).toList());
        Matcher folder = Pattern.compile("folder\\('releases'\\)\\s*\\{(?s:.*?)id\\('registry-push'\\)").matcher(jobs);
        if (!folder.find() || jobs.split("id\\('registry-push'\\)", -1).length != 2) {
            problems.add(jobsDir + ": the push credential registry-push must be defined once, in folder('releases')");
        }
        return problems;
    }

    /** Every ${VAR} in casc, and every System.getenv in the job scripts, is in {@code provided}. */
    static List<String> variableProblems(Path cascDir, Path jobsDir, Set<String> provided) {
        List<String> problems = new ArrayList<>();
        List<Path> files = new ArrayList<>(yamlFiles(cascDir));
        files.addAll(groovyFiles(jobsDir));
        for (Path file : files) {
            String text = read(file);
            Set<String> used = new TreeSet<>();
            // JCasC substitutes in YAML values only (comments say ${VAR} freely); in Groovy ${...} is a GString.
            Matcher variable = VARIABLE.matcher(file.toString().endsWith(".yaml") ? text.replaceAll("(?m)^\\s*#.*$", "") : "");
            while (variable.find()) {
                if (variable.group(2) == null) {
                    used.add(variable.group(1));
                }
            }
            Matcher getenv = GETENV.matcher(text);
            while (getenv.find()) {
                used.add(getenv.group(1));
            }
            used.stream().filter(name -> !provided.contains(name)).forEach(name -> problems.add(file + ": ${" + name
                    + "} is neither set by the compose profile `ci` (service jenkins) nor a documented secret in jenkins-master/README.md"));
        }
        return problems;
    }

    /** The X_FILE variables docker-entrypoint.sh reads into X (read_secret_files, image/secret-files.sh). */
    static final Set<String> SECRET_FILES = Set.of("JENKINS_ADMIN_PASSWORD_FILE", "GITLAB_API_TOKEN_FILE",
            "REGISTRY_PASSWORD_FILE");

    /** The environment the compose profile `ci` gives the jenkins service, and the secrets the README documents. */
    static Set<String> providedVariables(Path composeFile, Path readme) {
        Set<String> provided = new HashSet<>(composeEnvironment(composeFile));
        Matcher documented = DOCUMENTED.matcher(read(readme));
        while (documented.find()) {
            provided.add(documented.group(1));
        }
        return provided;
    }

    /** The variables the jenkins service gets: those of its environment, and X for each X_FILE (the entrypoint reads it). */
    static Set<String> composeEnvironment(Path composeFile) {
        Set<String> names = new HashSet<>();
        for (String name : jenkinsService(composeFile).environment().keySet()) {
            names.add(SECRET_FILES.contains(name) ? name.substring(0, name.length() - "_FILE".length()) : name);
        }
        return names;
    }

    /** The jenkins service of the compose file: its environment and the secrets it mounts. */
    record JenkinsService(Map<String, Object> environment, List<String> secrets, Set<String> declaredSecrets) {
    }

    @SuppressWarnings("unchecked")
    static JenkinsService jenkinsService(Path composeFile) {
        Map<String, Object> compose = loadYaml(composeFile);
        Map<String, Object> services = (Map<String, Object>) compose.get("services");
        Map<String, Object> jenkins = (Map<String, Object>) services.get("jenkins");
        if (jenkins == null || !List.of("ci").equals(jenkins.get("profiles"))) {
            throw new IllegalStateException(composeFile + ": no service jenkins in profile ci");
        }
        Map<String, Object> declared = (Map<String, Object>) compose.getOrDefault("secrets", Map.of());
        return new JenkinsService((Map<String, Object>) jenkins.get("environment"),
                (List<String>) jenkins.getOrDefault("secrets", List.of()), declared.keySet());
    }

    /**
     * What `docker inspect` would show of a secret: each variable of the jenkins service whose name says secret
     * (PASSWORD, TOKEN, SECRET, KEY) must be an X_FILE the entrypoint reads, pointing at /run/secrets/NAME where NAME
     * is a secret the service mounts and the file declares.
     */
    static List<String> secretValueProblems(Path composeFile) {
        JenkinsService jenkins = jenkinsService(composeFile);
        List<String> problems = new ArrayList<>();
        jenkins.environment().forEach((name, value) -> {
            if (!name.matches(".*(PASSWORD|TOKEN|SECRET|KEY).*")) {
                return;
            }
            if (!SECRET_FILES.contains(name)) {
                problems.add(composeFile + ": jenkins gets " + name + " as a value; give it as a file, one of " + SECRET_FILES);
                return;
            }
            String secret = String.valueOf(value).replaceFirst("^/run/secrets/", "");
            if (!String.valueOf(value).startsWith("/run/secrets/") || !jenkins.secrets().contains(secret)
                    || !jenkins.declaredSecrets().contains(secret)) {
                problems.add(composeFile + ": jenkins' " + name + "=" + value + " is no compose secret it mounts");
            }
        });
        return problems;
    }

    /** Each file parses as Groovy (to the CONVERSION phase: syntax and AST, nothing is run or resolved). */
    static List<String> groovyProblems(List<Path> files) {
        List<String> problems = new ArrayList<>();
        for (Path file : files) {
            CompilationUnit unit = new CompilationUnit();
            unit.addSource(file.getFileName().toString(), read(file));
            try {
                unit.compile(Phases.CONVERSION);
            } catch (CompilationFailedException e) {
                problems.add(file + ": does not parse as Groovy: " + e.getMessage().strip());
            }
        }
        return problems;
    }

    /** The Dockerfile pins an LTS war with its sha256, verifies it, and installs plugins with --latest=false. */
    static List<String> dockerfileProblems(Path dockerfile) {
        String text = read(dockerfile);
        List<String> problems = new ArrayList<>();
        Map<String, String> rules = new LinkedHashMap<>();
        rules.put("(?m)^FROM debian:trixie-slim$", "must start FROM debian:trixie-slim");
        rules.put("(?m)^ARG JENKINS_VERSION=\\d+\\.\\d+\\.\\d+$", "must pin an LTS war: ARG JENKINS_VERSION=<major>.<minor>.<patch>");
        rules.put("(?m)^ARG JENKINS_WAR_SHA256=[0-9a-f]{64}$", "must pin the war's checksum: ARG JENKINS_WAR_SHA256=<64 hex digits>");
        rules.put("(?m)^ARG JENKINS_WAR_URL=\\S*\\$\\{JENKINS_VERSION}\\S*$", "must let JENKINS_WAR_URL (a build arg) override where the pinned version comes from");
        rules.put("\\$JENKINS_WAR_SHA256 +\\S*jenkins\\.war\" *\\| *sha256sum -c", "must verify the downloaded war with sha256sum -c against JENKINS_WAR_SHA256");
        rules.put("(?m)^ARG PLUGIN_MANAGER_SHA256=[0-9a-f]{64}$", "must pin the plugin manager's checksum: ARG PLUGIN_MANAGER_SHA256=<64 hex digits>");
        rules.put("\\n && echo \"\\$PLUGIN_MANAGER_SHA256 +\\S*jenkins-plugin-manager\\.jar\" *\\| *sha256sum -c", "must always verify the plugin manager jar with sha256sum -c");
        rules.put("jenkins-plugin-cli[^\\n]*(\\\\\\n[^\\n]*)*--latest=false", "must run jenkins-plugin-cli with --latest=false");
        rules.put("(?m)^USER (?!root|0)\\S+$", "must run as a non-root USER");
        rules.put("(?m)^HEALTHCHECK ", "must have a HEALTHCHECK");
        rules.put("(?m)^VOLUME /var/jenkins_home$", "must keep JENKINS_HOME on a VOLUME");
        rules.forEach((regex, message) -> {
            if (!Pattern.compile(regex).matcher(text).find()) {
                problems.add(dockerfile + ": " + message);
            }
        });
        return problems;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> loadYaml(Path file) {
        Object loaded = new Yaml().load(read(file));
        return loaded instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
    }

    static List<Path> yamlFiles(Path dir) {
        return list(dir, ".yaml");
    }

    static List<Path> groovyFiles(Path dir) {
        return list(dir, ".groovy");
    }

    private static List<Path> list(Path dir, String suffix) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.toString().endsWith(suffix)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
