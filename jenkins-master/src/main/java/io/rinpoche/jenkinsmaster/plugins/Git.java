package io.rinpoche.jenkinsmaster.plugins;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Read-only access to bare clones of GitHub repositories kept under one directory, one per repository as
 * {@code <owner>+<name>/repo} (the layout {@code fetch-sources.sh} makes with {@code git clone --bare}).
 */
final class Git {

    private final Path mirrors;

    Git(Path mirrors) {
        this.mirrors = mirrors;
    }

    /** Whether a clone of {@code repo} (owner/name) is there. */
    boolean has(String repo) {
        return Files.isDirectory(dir(repo));
    }

    /** The file at {@code ref}, if it exists there. */
    Optional<String> show(String repo, String ref, String path) {
        Result result = git(repo, "show", ref + ":" + path);
        return result.exit == 0 ? Optional.of(result.out) : Optional.empty();
    }

    List<String> tags(String repo) {
        return lines(repo, "tag", "--list");
    }

    /** Every path of the tree at {@code ref}. */
    List<String> files(String repo, String ref) {
        return lines(repo, "ls-tree", "-r", "--name-only", ref);
    }

    /** Whether {@code ref} names a commit of the clone. */
    boolean hasCommit(String repo, String ref) {
        return git(repo, "rev-parse", "--verify", "--quiet", ref + "^{commit}").exit == 0;
    }

    private List<String> lines(String repo, String... args) {
        Result result = git(repo, args);
        if (result.exit != 0) {
            throw new IllegalStateException("git " + String.join(" ", args) + " in " + dir(repo) + " failed");
        }
        return result.out.lines().toList();
    }

    private Path dir(String repo) {
        return mirrors.resolve(repo.replace('/', '+')).resolve("repo");
    }

    private Result git(String repo, String... args) {
        List<String> command = new java.util.ArrayList<>(List.of("git", "--git-dir", dir(repo).toString()));
        command.addAll(List.of(args));
        try {
            Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(2, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IllegalStateException("git " + String.join(" ", args) + " timed out");
            }
            return new Result(process.exitValue(), out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private record Result(int exit, String out) {
    }
}
