package io.rinpoche.registry;

import io.rinpoche.testing.Command;
import io.rinpoche.testing.OwnImages;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The host's docker CLI, as a user runs it against the registry, with a throw-away client config
 * (DOCKER_CONFIG) so that logins never touch ~/.docker. Closing it removes every image it tagged.
 */
final class DockerCli implements AutoCloseable {
  private static final Pattern PUSHED_DIGEST = Pattern.compile("digest: (sha256:[0-9a-f]{64}) size:");
  private final Path config;
  private final Set<String> images = new LinkedHashSet<>();

  DockerCli() throws IOException {
    config = Files.createTempDirectory("rinpoche-it-docker-config");
  }

  /** Runs docker with the given arguments, feeding stdin (may be null); returns exit code and output. */
  Command run(String stdin, String... args) {
    List<String> argv = new ArrayList<>(List.of("docker"));
    argv.addAll(List.of(args));
    return Command.run(Duration.ofMinutes(3), Map.of("DOCKER_CONFIG", config.toString()), argv, stdin);
  }

  /** Like run, for a command that must succeed; returns its output. */
  String must(String... args) {
    Command result = run(null, args);
    if (result.exitCode() != 0) {
      throw new IllegalStateException("docker " + String.join(" ", args) + " failed: " + result.output());
    }
    return result.output();
  }

  /** docker login with the password on stdin, as scripts should do it. */
  Command login(String address, String user, String password) {
    return run(password, "login", "--username", user, "--password-stdin", address);
  }

  /**
   * Builds a tiny two-layer image FROM scratch with unique content (so every push really uploads) and
   * tags it as {@code reference}; returns its image id.
   */
  String buildProbe(String reference) throws IOException {
    Path context = Files.createTempDirectory("rinpoche-it-probe");
    try {
      String unique = UUID.randomUUID().toString();
      Files.writeString(context.resolve("a.txt"), "first layer " + unique + "\n");
      Files.writeString(context.resolve("b.txt"), "second layer " + unique + "\n");
      Files.writeString(context.resolve("Dockerfile"), "FROM scratch\nCOPY a.txt /\nCOPY b.txt /\n");
      images.add(reference);
      must("build", "--quiet", "--tag", reference, context.toString());
      return imageId(reference);
    } finally {
      try (Stream<Path> files = Files.walk(context)) {
        files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
      }
    }
  }

  void tag(String source, String target) {
    images.add(target);
    must("tag", source, target);
  }

  /** Pushes and returns the manifest digest the registry reported. */
  String push(String reference) {
    String output = must("push", reference);
    Matcher digest = PUSHED_DIGEST.matcher(output);
    if (!digest.find()) {
      throw new IllegalStateException("no digest in the output of docker push " + reference + ": " + output);
    }
    return digest.group(1);
  }

  Command pull(String reference) {
    images.add(reference);
    return run(null, "pull", reference);
  }

  /** Removes the local tag; the image goes once no tag is left. */
  void untag(String reference) {
    must("image", "rm", reference);
  }

  boolean exists(String reference) {
    return run(null, "image", "inspect", reference).exitCode() == 0;
  }

  String imageId(String reference) {
    return must("image", "inspect", "--format", "{{.Id}}", reference).strip();
  }

  List<String> repoDigests(String reference) {
    return List.of(must("image", "inspect", "--format", "{{range .RepoDigests}}{{.}} {{end}}", reference)
        .strip().split(" "));
  }

  @Override
  public void close() throws IOException {
    // By name and unforced (OwnImages): a probe goes with its last name, an image anything else uses stays.
    OwnImages.remove(images);
    try (Stream<Path> files = Files.walk(config)) {
      files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    }
  }
}
