package io.rinpoche.catalogue;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Stream;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Reads and checks the whole catalogue, {@code <apps>/<name>/app.yaml}: every file, then what must be unique
 * across them (hosts, images). Any error fails the whole read, so nothing is generated from half a catalogue.
 */
public final class CatalogueReader {

    static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{0,28}[a-z0-9]");
    private static final Pattern HOST = Pattern.compile(
            "(\\*\\.)?[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*");
    private static final Pattern PREFIX = Pattern.compile("/|(/[a-z0-9._~-]+)+");
    private static final Pattern IMAGE = Pattern.compile("[a-z0-9]+([._-][a-z0-9]+)*(/[a-z0-9]+([._-][a-z0-9]+)*)*");
    private static final Pattern SETTING = Pattern.compile("[A-Z_][A-Z0-9_]*");
    private static final Pattern GLOB = Pattern.compile("[A-Za-z0-9_.*?-]+");
    private static final Pattern SEMVER_PART = Pattern.compile("\\*|(\\^|~|>=|<=|>|<|=)?v?(\\d+|x|X|\\*)(\\.(\\d+|x|X|\\*)){0,2}(-[0-9A-Za-z.-]+)?");
    private static final Set<String> TOP = Set.of("name", "path", "image", "replicas", "health", "settings",
            "environments", "release");
    private static final Set<String> ROUTE = Set.of("hosts", "prefix", "replicas", "analysis");
    private static final Set<String> RULE = Set.of("tag", "match");
    /** Names the stack, MariaDB or Redis already use. */
    // Also the platform stack's services: nginx is on the metrics network too (its edge metrics), where an app of
    // the same name would make nginx's per-request lookup ambiguous.
    private static final Set<String> RESERVED = Set.of("nginx", "mysql", "redis", "exporter", "nginx-exporter",
            "mysqld-exporter", "redis-exporter", "root", "healthcheck", "default", "sys", "app",
            "information-schema", "performance-schema", "registry", "registry-metrics", "deploy-service", "prometheus",
            "alertmanager", "node-exporter", "backup", "grafana", "jenkins", "registry-mirror");
    /** Variables the platform sets for every app; an app's settings cannot replace them. */
    private static final Set<String> PLATFORM_SET = Set.of("DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS",
            "DATABASE_HOST", "DATABASE_NAME", "DATABASE_USER", "DATABASE_PASSWORD", "REDIS_HOST", "REDIS_USER",
            "REDIS_PASSWORD", "CACHE_KEY_PREFIX", "HEALTHCHECK_PATH", "DJANGO_MIGRATE", "APP_VERSION");

    private final Path root;
    private final List<String> environments;
    private final Problems problems = new Problems();

    /**
     * @param root         the repository root: an app's {@code path} is relative to it, and files are shown relative to it
     * @param environments the platform's environments (release rules and routes may name only these)
     */
    public CatalogueReader(Path root, List<String> environments) {
        this.root = root.toAbsolutePath().normalize();
        this.environments = List.copyOf(environments);
    }

    /** Every app of the catalogue in {@code apps}, by name; throws {@link CatalogueException} listing every error. */
    public List<App> read(Path apps) {
        List<App> read = new ArrayList<>();
        for (Path file : files(apps)) {
            app(file).ifPresent(read::add);
        }
        checkUnique(read);
        problems.throwIfAny();
        return read;
    }

    private List<Path> files(Path apps) {
        if (!Files.isDirectory(apps)) {
            problems.add(shown(apps), 1, "the app catalogue folder does not exist");
            problems.throwIfAny();
        }
        try (Stream<Path> folders = Files.list(apps)) {
            List<Path> files = new ArrayList<>();
            for (Path folder : folders.filter(Files::isDirectory).sorted().toList()) {
                if (Files.isRegularFile(folder.resolve("app.yaml"))) {
                    files.add(folder.resolve("app.yaml"));
                } else if (Files.exists(folder.resolve("app.yml"))) {
                    problems.add(shown(folder.resolve("app.yml")), 1, "name the file app.yaml");
                }
            }
            return files;
        } catch (IOException e) {
            throw new IllegalStateException("cannot list " + apps + ": " + e.getMessage(), e);
        }
    }

    private Optional<App> app(Path file) {
        String where = shown(file);
        org.yaml.snakeyaml.nodes.Node yaml;
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            yaml = new Yaml(new LoaderOptions()).compose(reader);
        } catch (MarkedYAMLException e) {
            problems.add(where, e.getProblemMark().getLine() + 1, "not valid YAML: " + e.getProblem());
            return Optional.empty();
        } catch (IOException e) {
            problems.add(where, 1, "cannot be read: " + e.getMessage());
            return Optional.empty();
        }
        if (yaml == null) {
            problems.add(where, 1, "empty: an app needs at least name and environments");
            return Optional.empty();
        }
        return new Node(yaml, where, problems).mapping("the app", TOP).flatMap(fields -> app(file, where, fields));
    }

    private Optional<App> app(Path file, String where, Map<String, Node> fields) {
        int errors = problems.list().size();
        Node top = fields.values().stream().findFirst().orElse(null);
        Optional<String> name = required(fields, "name", where).flatMap(node -> name(node, file));
        Path code = fields.containsKey("path") ? code(fields.get("path")) : file.getParent();
        String image = fields.containsKey("image") ? text(fields.get("image"), "image", IMAGE,
                "a repository path such as 'team/shop' (lower-case letters, digits, '.', '_', '-', '/')").orElse("")
                : name.orElse("");
        int replicas = fields.containsKey("replicas") ? fields.get("replicas").integer("replicas", 1, 20).orElse(1) : 1;
        String health = fields.containsKey("health") ? text(fields.get("health"), "health", Pattern.compile("/[A-Za-z0-9._~/-]*"),
                "a path such as /healthz").orElse("/healthz") : "/healthz";
        Map<String, String> settings = fields.containsKey("settings") ? settings(fields.get("settings")) : Map.of();
        Map<String, App.Route> routes = required(fields, "environments", where).map(node -> routes(node, replicas))
                .orElse(Map.of());
        List<App.Release> releases = fields.containsKey("release") ? releases(fields.get("release")) : defaultReleases();
        if (code != null && !Files.isRegularFile(code.resolve("Dockerfile"))) {
            (fields.containsKey("path") ? fields.get("path") : top).error("the app's folder " + shown(code) + " has no Dockerfile");
        }
        if (problems.list().size() > errors || name.isEmpty()) {
            return Optional.empty();
        }
        int line = fields.get("name").line();
        return Optional.of(new App(name.get(), where, line, code, image, replicas, health, settings, routes, releases));
    }

    private Optional<Node> required(Map<String, Node> fields, String key, String where) {
        if (!fields.containsKey(key)) {
            problems.add(where, 1, "'" + key + "' is missing");
        }
        return Optional.ofNullable(fields.get(key));
    }

    private Optional<String> name(Node node, Path file) {
        Optional<String> name = text(node, "name", NAME, "2 to 30 lower-case letters, digits and '-', starting with a letter");
        name.filter(RESERVED::contains).ifPresent(n -> node.error("the name '" + n + "' is taken by the platform (reserved: "
                + String.join(", ", RESERVED.stream().sorted().toList()) + ")"));
        String folder = file.getParent().getFileName().toString();
        name.filter(n -> !n.equals(folder)).ifPresent(n -> node.error("the name '" + n + "' differs from its folder '"
                + folder + "': name the folder after the app"));
        return name.filter(n -> !RESERVED.contains(n) && n.equals(folder));
    }

    private Path code(Node node) {
        Optional<String> path = node.scalar("path");
        if (path.isEmpty()) {
            return null;
        }
        Path code = root.resolve(path.get()).normalize();
        if (path.get().startsWith("/") || !code.startsWith(root)) {
            node.error("path must be a folder inside the repository, relative to its root: '" + path.get() + "'");
            return null;
        }
        return code;
    }

    private Optional<String> text(Node node, String what, Pattern pattern, String expected) {
        Optional<String> value = node.scalar(what);
        value.filter(v -> !pattern.matcher(v).matches())
                .ifPresent(v -> node.error(what + " '" + v + "' is not valid: " + expected));
        return value.filter(v -> pattern.matcher(v).matches());
    }

    private Map<String, String> settings(Node node) {
        Map<String, String> settings = new LinkedHashMap<>();
        node.mapping("settings", Set.of()).orElse(Map.of()).forEach((key, value) -> {
            if (!SETTING.matcher(key).matches()) {
                value.error("setting '" + key + "' is not an environment variable name (A-Z, 0-9, _)");
            } else if (PLATFORM_SET.contains(key)) {
                value.error("setting '" + key + "' is set by the platform for every app");
            } else {
                value.scalar("setting " + key).ifPresent(text -> settings.put(key, text));
            }
        });
        return settings;
    }

    private Map<String, App.Route> routes(Node node, int replicas) {
        Map<String, App.Route> routes = new LinkedHashMap<>();
        Map<String, Node> declared = node.mapping("environments", Set.copyOf(environments)).orElse(null);
        if (declared == null) {
            return routes;
        }
        declared.forEach((env, route) -> route.mapping("environments." + env, ROUTE)
                .ifPresent(fields -> route(env, route, fields, replicas).ifPresent(r -> routes.put(env, r))));
        if (declared.isEmpty()) {
            node.error("environments must route the app in at least one of: " + String.join(", ", environments));
        }
        return routes;
    }

    private Optional<App.Route> route(String env, Node node, Map<String, Node> fields, int replicas) {
        if (!fields.containsKey("hosts")) {
            node.error("environments." + env + " needs hosts (the host names it answers to)");
            return Optional.empty();
        }
        Node hostsNode = fields.get("hosts");
        List<String> hosts = hostsNode.scalars("environments." + env + ".hosts");
        hosts.stream().filter(h -> !HOST.matcher(h).matches()).forEach(h -> hostsNode.error("host '" + h
                + "' is not a host name (lower-case, e.g. shop.example.com, *.example.com or 127.0.0.1)"));
        if (hosts.isEmpty()) {
            hostsNode.error("environments." + env + ".hosts is empty");
        }
        String prefix = fields.containsKey("prefix") ? text(fields.get("prefix"), "prefix", PREFIX,
                "/ or a path such as /shop (no trailing /)").orElse("/") : "/";
        int own = fields.containsKey("replicas") ? fields.get("replicas").integer("replicas", 1, 20).orElse(replicas) : replicas;
        Boolean analysis = fields.containsKey("analysis") ? fields.get("analysis").bool("environments." + env + ".analysis")
                .orElse(null) : null;
        return Optional.of(new App.Route(hosts, prefix, own, hostsNode.line(), analysis));
    }

    private List<App.Release> releases(Node node) {
        List<App.Release> releases = new ArrayList<>();
        node.mapping("release", Set.copyOf(environments)).orElse(Map.of()).forEach((env, rules) ->
                rules.sequence("release." + env).orElse(List.of()).forEach(rule -> rule(env, rule).ifPresent(releases::add)));
        return releases;
    }

    private Optional<App.Release> rule(String env, Node node) {
        Map<String, Node> fields = node.mapping("a rule of release." + env, RULE).orElse(null);
        if (fields == null) {
            return Optional.empty();
        }
        if (!fields.containsKey("tag")) {
            node.error("a rule of release." + env + " needs a tag pattern");
            return Optional.empty();
        }
        String match = fields.containsKey("match") ? fields.get("match").scalar("match").orElse("glob") : "glob";
        Optional<String> tag = fields.get("tag").scalar("tag");
        if (!Set.of("glob", "regex", "semver").contains(match)) {
            fields.get("match").error("match '" + match + "' is not one of glob, regex, semver");
            return Optional.empty();
        }
        return tag.filter(t -> checkPattern(match, t, fields.get("tag"))).map(t -> new App.Release(env, match, t));
    }

    private static boolean checkPattern(String match, String tag, Node node) {
        String problem = switch (match) {
            case "regex" -> regexProblem(tag);
            case "semver" -> Stream.of(tag.split("\\|\\|")).map(String::trim)
                    .flatMap(range -> Stream.of(range.split("\\s+"))).allMatch(p -> SEMVER_PART.matcher(p).matches())
                    ? null : "not a semver range such as *, ^1.2, >=1.0.0 <2.0.0";
            default -> GLOB.matcher(tag).matches() ? null : "a tag glob uses letters, digits, '_', '.', '-', '*' and '?'";
        };
        if (problem != null) {
            node.error("bad " + match + " pattern '" + tag + "': " + problem);
        }
        return problem == null;
    }

    private static String regexProblem(String tag) {
        try {
            Pattern.compile(tag);
            return null;
        } catch (PatternSyntaxException e) {
            return e.getDescription();
        }
    }

    /** develop-* to staging; semver and master-* to production (only environments the platform has). */
    private List<App.Release> defaultReleases() {
        return Stream.of(new App.Release("staging", "glob", "develop-*"), new App.Release("production", "semver", "*"),
                new App.Release("production", "glob", "master-*")).filter(r -> environments.contains(r.environment())).toList();
    }

    /** Two apps may not answer to the same host and prefix in one environment, nor share an image. */
    private void checkUnique(List<App> apps) {
        Map<String, App> routed = new HashMap<>();
        Map<String, App> images = new HashMap<>();
        for (App app : apps) {
            App other = images.putIfAbsent(app.image(), app);
            if (other != null) {
                problems.add(app.file(), app.line(), "image '" + app.image() + "' is already the image of "
                        + other.name() + " (" + other.file() + ")");
            }
            app.routes().forEach((env, route) -> route.hosts().forEach(host -> {
                App taken = routed.putIfAbsent(env + " " + host + " " + route.prefix(), app);
                if (taken != null && taken != app) {
                    problems.add(app.file(), route.line(), "duplicate host: " + host + route.prefix().replaceAll("^/$", "")
                            + " in " + env + " is already routed to " + taken.name() + " (" + taken.file() + ":"
                            + taken.routes().get(env).line() + ")");
                }
            }));
        }
    }

    private String shown(Path path) {
        Path absolute = path.toAbsolutePath().normalize();
        return absolute.startsWith(root) ? root.relativize(absolute).toString() : absolute.toString();
    }
}
