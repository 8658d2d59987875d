package io.rinpoche.deploy.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The images the benchmark builds and pushes, through the docker CLI as a developer would: each is
 * {@code FROM} the app image with its own {@code APP_VERSION}. The registry login lives in a temporary
 * {@code DOCKER_CONFIG}. On close, the manifests pushed are deleted from the registry (with every tag on
 * them: each image is this run's own), the images built here are removed and the login is deleted.
 */
final class LocalImages implements AutoCloseable {

    private static final Pattern DIGEST = Pattern.compile("digest: (sha256:[0-9a-f]{64})");

    /** A built image: its reference, the version its app reports and, once pushed, its manifest digest. */
    record Image(String reference, String version, String digest) {

        String tag() {
            return reference.substring(reference.lastIndexOf(':') + 1);
        }
    }

    private final String base;
    private final Path config;
    private final String registry;
    private final String basicAuth;
    private final List<String> built = new ArrayList<>();
    private final Set<String> pushed = new LinkedHashSet<>();

    private LocalImages(String base, Path config, String registry, String user, String password) {
        this.base = base;
        this.config = config;
        this.registry = registry;
        this.basicAuth = "Basic " + Base64.getEncoder().encodeToString((user + ":" + password)
                .getBytes(StandardCharsets.UTF_8));
    }

    /** Logs in to {@code registry} with a configuration of its own, so the user's ~/.docker is not touched. */
    static LocalImages login(String base, String registry, String user, String password) {
        try {
            LocalImages images = new LocalImages(base, Files.createTempDirectory("rinpoche-bench-docker"), registry,
                    user, password);
            images.docker(password, "login", registry, "--username", user, "--password-stdin");
            return images;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Builds {@code reference} from the base image with {@code APP_VERSION=version} (a one-line Dockerfile). */
    Image build(String reference, String version) {
        docker("FROM " + base + "\nENV APP_VERSION=" + version + "\n", "build", "--quiet", "--tag", reference, "-");
        built.add(reference);
        return new Image(reference, version, null);
    }

    /** Tags {@code image} as {@code reference} too (removed on close like the images built here). */
    Image tag(Image image, String reference) {
        docker(null, "tag", image.reference(), reference);
        built.add(reference);
        return new Image(reference, image.version(), image.digest());
    }

    /** Pushes {@code image}; returns it with the manifest digest the push reported. */
    Image push(Image image) {
        Matcher digest = DIGEST.matcher(docker(null, "push", image.reference()));
        if (!digest.find()) {
            throw new IllegalStateException("docker push " + image.reference() + " reported no digest");
        }
        pushed.add(image.reference().substring(registry.length() + 1, image.reference().lastIndexOf(':')) + "@"
                + digest.group(1));
        return new Image(image.reference(), image.version(), digest.group(1));
    }

    /** The local image id of {@code reference}. */
    String id(String reference) {
        return docker(null, "image", "inspect", "--format", "{{.Id}}", reference).trim();
    }

    /** Removes the images built here (their tags; the image goes with its last tag) and the login. */
    @Override
    public void close() {
        pushed.forEach(this::deleteManifest);
        for (String reference : built) {
            try {
                docker(null, "image", "rm", reference);
            } catch (IllegalStateException e) {
                System.out.println("  could not remove " + reference + ": " + e.getMessage().strip());
            }
        }
        try (Stream<Path> files = Files.walk(config)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            System.out.println("  could not delete " + config + ": " + e.getMessage());
        }
    }

    // DELETE /v2/<name>/manifests/<digest> (https://distribution.github.io/distribution/spec/api/#deleting-an-image);
    // the registry then reports a delete, which the deploy service ignores.
    private void deleteManifest(String nameAtDigest) {
        String[] parts = nameAtDigest.split("@");
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + registry + "/v2/" + parts[0] + "/manifests/"
                + parts[1])).header("Authorization", basicAuth).DELETE().build();
        try {
            int status = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            if (status != 202) {
                System.out.println("  registry answered " + status + " to deleting " + nameAtDigest);
            }
        } catch (IOException e) {
            System.out.println("  could not delete " + nameAtDigest + " from the registry: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // Runs docker with this login; stdin is written and closed first (a password or a Dockerfile).
    private String docker(String stdin, String... args) {
        List<String> argv = new ArrayList<>(List.of("docker"));
        argv.addAll(List.of(args));
        try {
            ProcessBuilder builder = new ProcessBuilder(argv).redirectErrorStream(true);
            builder.environment().putAll(Map.of("DOCKER_CONFIG", config.toString()));
            Process process = builder.start();
            try (var in = process.getOutputStream()) {
                if (stdin != null) {
                    in.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
            }
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(5, TimeUnit.MINUTES) || process.exitValue() != 0) {
                throw new IllegalStateException("docker " + args[0] + " " + args[1] + " failed: " + output);
            }
            return output;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + argv.subList(0, 2), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running " + argv.subList(0, 2), e);
        }
    }
}
