package io.rinpoche.jenkinsmaster.plugins;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Read-only access to bare clones of GitHub repositories kept under one directory, one per repository as
 * {@code <owner>+<name>/repo} (the layout {@code fetch-sources.sh} makes with {@code git clone --bare}).
 */
public final class Git {

    private final Path mirrors;

    public Git(Path mirrors) {
        this.mirrors = mirrors;
    }

    /** Whether a clone of {@code repo} (owner/name) is there. */
    public boolean has(String repo) {
        return Files.isDirectory(dir(repo));
    }

    /** The file at {@code ref}, if it exists there. */
    public Optional<String> show(String repo, String ref, String path) {
        Result result = git(repo, "show", ref + ":" + path);
        return result.exit == 0 ? Optional.of(result.out) : Optional.empty();
    }

    public List<String> tags(String repo) {
        return lines(repo, "tag", "--list");
    }

    /** Every path of the tree at {@code ref}. */
    /** The paths under {@code dir} at {@code ref}. */
    public List<String> files(String repo, String ref, String dir) {
        return lines(repo, "ls-tree", "-r", "--name-only", ref, "--", dir.isEmpty() ? "." : dir);
    }

    /** The contents of many files at {@code ref} at once (git cat-file --batch), path -> text. */
    public Map<String, String> read(String repo, String ref, List<String> paths) {
        Map<String, String> files = new LinkedHashMap<>();
        try {
            Process process = new ProcessBuilder("git", "--git-dir", dir(repo).toString(), "cat-file", "--batch")
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            Thread writer = new Thread(() -> {
                try (var in = process.getOutputStream()) {
                    for (String path : paths) {
                        in.write((ref + ":" + path + "\n").getBytes(StandardCharsets.UTF_8));
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            writer.start();
            var out = new java.io.DataInputStream(new java.io.BufferedInputStream(process.getInputStream()));
            for (String path : paths) {
                String header = readLine(out);
                String[] parts = header.split(" ");
                if (parts.length == 3 && parts[1].equals("blob")) {
                    byte[] content = out.readNBytes(Integer.parseInt(parts[2]));
                    out.read();
                    files.put(path, new String(content, StandardCharsets.UTF_8));
                }
            }
            writer.join();
            process.waitFor();
            return files;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String readLine(java.io.InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int c = in.read(); c != -1 && c != '\n'; c = in.read()) {
            line.append((char) c);
        }
        return line.toString();
    }

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
