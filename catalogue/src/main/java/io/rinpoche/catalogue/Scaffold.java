package io.rinpoche.catalogue;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * {@code ./platform new-app NAME}: a working Django project in {@code <apps>/NAME/} that inherits rinpoche/django,
 * with its catalogue entry; the CI scripts and Jenkinsfile are the example app's, pointed at the new app. The
 * whole catalogue is checked with it; if it does not pass, the folder is removed again.
 */
final class Scaffold {

    private static final String EXAMPLE = "examples/hello-django";
    /** Python modules a package of that name in /app would hide. */
    private static final Set<String> SHADOWING = Set.of("django", "json", "email", "test", "tests", "site", "logging",
            "types", "http", "html", "string", "random", "time", "code", "select", "signal", "socket", "ssl", "queue",
            "gunicorn", "redis", "whitenoise", "rinpoche_django", "typing", "io", "os", "sys", "re", "abc", "copy",
            "csv", "uuid", "decimal", "secrets", "token", "inspect", "collections", "datetime", "calendar", "locale");

    private Scaffold() {
    }

    static String create(String name, Path root, Path apps, List<String> environments) throws IOException {
        String pkg = name.replace('-', '_');
        if (!CatalogueReader.NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("'" + name + "' is not an app name: 2 to 30 lower-case letters, digits and '-', starting with a letter");
        }
        if (SHADOWING.contains(pkg)) {
            throw new IllegalArgumentException("'" + name + "' would hide Python's module " + pkg + "; choose another name");
        }
        Path dir = apps.resolve(name);
        if (Files.exists(dir)) {
            throw new IllegalArgumentException(dir + " already exists");
        }
        new CatalogueReader(root, environments).read(apps);   // a catalogue broken before stays the user's to fix
        try {
            write(dir, name, pkg, root.resolve("IMAGE_TAG"));
            copyCi(root, dir, name);
            new CatalogueReader(root, environments).read(apps);
        } catch (RuntimeException | IOException e) {
            delete(dir);
            throw e;
        }
        return "created " + dir + "\n";
    }

    private static void write(Path dir, String name, String pkg, Path imageTag) throws IOException {
        String tag = Files.readString(imageTag).trim();
        for (String file : resource("files.txt").lines().toList()) {
            String target = file.replace("pkg/", pkg + "/").replace("dockerignore", ".dockerignore");
            Path path = dir.resolve(target);
            Files.createDirectories(path.getParent());
            Files.writeString(path, resource(file).replace("__NAME__", name).replace("__PACKAGE__", pkg).replace("__TAG__", tag));
            if (file.equals("manage.py")) {
                Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
        }
    }

    /** The example's Jenkinsfile and ci/ scripts, with its name and folder replaced by the new app's. */
    private static void copyCi(Path root, Path dir, String name) throws IOException {
        Path example = root.resolve(EXAMPLE);
        String folder = root.relativize(dir.toAbsolutePath().normalize()).toString();
        List<Path> files;
        try (Stream<Path> ci = Files.walk(example.resolve("ci"))) {
            files = Stream.concat(Stream.of(example.resolve("Jenkinsfile")), ci.filter(Files::isRegularFile)).toList();
        }
        for (Path file : files) {
            Path target = dir.resolve(example.relativize(file).toString());
            Files.createDirectories(target.getParent());
            Files.writeString(target, Files.readString(file).replace(EXAMPLE, folder).replace("hello-django", name));
            Files.setPosixFilePermissions(target, Files.getPosixFilePermissions(file));
        }
    }

    private static String resource(String file) {
        try (InputStream in = Scaffold.class.getResourceAsStream("/scaffold/" + file)) {
            if (in == null) {
                throw new IllegalStateException("scaffold file missing from the jar: " + file);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void delete(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path path : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(path);
                }
            }
        }
    }
}
