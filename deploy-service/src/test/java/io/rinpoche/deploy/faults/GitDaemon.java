package io.rinpoche.deploy.faults;

import io.rinpoche.testing.Ports;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/** {@code git daemon} serving the bare repositories under a directory over git://127.0.0.1, pushes allowed. */
final class GitDaemon implements AutoCloseable {

    private final Process process;
    private final int port;

    GitDaemon(Path base) {
        port = Ports.free();
        try {
            process = new ProcessBuilder("git", "daemon", "--reuseaddr", "--listen=127.0.0.1", "--port=" + port,
                    "--base-path=" + base, "--export-all", "--enable=receive-pack", base.toString())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start git daemon", e);
        }
        awaitListening();
    }

    int port() {
        return port;
    }

    private void awaitListening() {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
        while (Instant.now().isBefore(deadline)) {
            try (Socket ignored = new Socket(InetAddress.getLoopbackAddress(), port)) {
                return;
            } catch (IOException notYet) {
                sleep();
            }
        }
        throw new IllegalStateException("git daemon does not listen on port " + port);
    }

    private static void sleep() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }


    @Override
    public void close() {
        process.destroy();
    }
}
