package io.rinpoche.catalogue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The catalogue's command line, run by ./platform:
 * <pre>
 *   list     --root R --apps A --environments production,staging
 *   generate --root R --apps A --environments ... --secrets S --out O --tag T
 *   new-app  NAME --root R --apps A --environments ...
 * </pre>
 * Errors go to stderr, each naming its file and line; the exit code is 1 and nothing is written.
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        try {
            System.out.print(run(args));
        } catch (CatalogueException e) {
            System.err.println("error: " + e.getMessage());
            System.exit(1);
        } catch (IllegalArgumentException | IllegalStateException | IOException e) {
            System.err.println("error: " + e.getMessage());
            System.exit(1);
        }
    }

    static String run(String... args) throws IOException {
        if (args.length == 0) {
            throw new IllegalArgumentException("usage: list|generate|new-app [NAME] --root DIR --apps DIR --environments a,b ...");
        }
        Map<String, String> options = options(Arrays.copyOfRange(args, args[0].equals("new-app") ? 2 : 1, args.length));
        Path root = Path.of(option(options, "root"));
        Path apps = Path.of(option(options, "apps"));
        List<String> environments = List.of(option(options, "environments").split(","));
        CatalogueReader reader = new CatalogueReader(root, environments);
        return switch (args[0]) {
            case "list" -> new Generator(reader.read(apps), "").list();
            case "generate" -> generate(reader.read(apps), root, environments, options);
            case "new-app" -> Scaffold.create(args.length > 1 ? args[1] : "", root, apps, environments);
            default -> throw new IllegalArgumentException("unknown command " + args[0]);
        };
    }

    private static String generate(List<App> apps, Path root, List<String> environments, Map<String, String> options)
            throws IOException {
        Secrets secrets = Secrets.read(Path.of(option(options, "secrets")));
        secrets.ensure(apps, environments);
        Generator generator = new Generator(apps, option(options, "tag"));
        Path out = Path.of(option(options, "out"));
        write(out.resolve("apps.tsv"), generator.list(), false);
        write(out.resolve("deploy-service/apps.yaml"), generator.deployRules(), false);
        write(out.resolve("jenkins/apps.tsv"), generator.jenkinsJobs(root), false);
        for (String env : environments) {
            write(out.resolve(env + "/apps.compose.yaml"), generator.compose(env), false);
            write(out.resolve(env + "/apps.stack.yaml"), generator.stack(env), false);
            write(out.resolve(env + "/nginx/apps.conf"), generator.nginx(env), false);
            write(out.resolve(env + "/redis/users.acl"), generator.redisUsers(env, secrets), false);
            write(out.resolve(env + "/databases.sql"), generator.databases(env, secrets), true);
        }
        return generator.list();
    }

    /** Written beside, then moved over the old file: a reader never sees half a file. Private files are mode 600. */
    private static void write(Path file, String content, boolean secret) throws IOException {
        Files.createDirectories(file.getParent());
        Path next = file.resolveSibling(file.getFileName() + ".next");
        Files.deleteIfExists(next);
        Files.createFile(next, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(secret ? "rw-------" : "rw-r--r--")));
        Files.writeString(next, content, StandardCharsets.UTF_8);
        Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("expected an --option, found " + args[i]);
            }
            options.put(args[i].substring(2), args[i + 1]);
        }
        return options;
    }

    private static String option(Map<String, String> options, String name) {
        String value = options.get(name);
        if (value == null) {
            throw new IllegalArgumentException("--" + name + " is required");
        }
        return value;
    }
}
