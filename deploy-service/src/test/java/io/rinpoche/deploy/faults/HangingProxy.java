package io.rinpoche.deploy.faults;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP server on 127.0.0.1 that accepts connections and never answers them (a remote that hangs), until
 * {@link #answer()}: then it closes what it held and forwards every new connection to {@code target}.
 */
final class HangingProxy implements AutoCloseable {

    private final ServerSocket server;
    private final int target;
    private final List<Socket> held = new CopyOnWriteArrayList<>();
    private volatile boolean answering;

    HangingProxy(int target) {
        this.target = target;
        try {
            server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        thread(this::accept);
    }

    int port() {
        return server.getLocalPort();
    }

    /** From now on, forwards; the connections held so far are closed (their callers see a reset at once). */
    void answer() {
        answering = true;
        List<Socket> hung = List.copyOf(held);
        held.removeAll(hung);
        hung.forEach(HangingProxy::closeQuietly);
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                if (answering) {
                    forward(client);
                } else {
                    held.add(client);
                }
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void forward(Socket client) throws IOException {
        Socket upstream = new Socket(InetAddress.getLoopbackAddress(), target);
        held.add(client);
        held.add(upstream);
        thread(() -> pump(client, upstream));
        thread(() -> pump(upstream, client));
    }

    // One direction; its end is passed on as a half-close, as git's protocol expects.
    private static void pump(Socket from, Socket to) {
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            in.transferTo(out);
            to.shutdownOutput();
        } catch (IOException ignored) {
            // The other side closed.
        }
    }

    private static void thread(Runnable task) {
        Thread thread = new Thread(task, "hanging-proxy");
        thread.setDaemon(true);
        thread.start();
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // Closed already.
        }
    }

    @Override
    public void close() {
        held.forEach(HangingProxy::closeQuietly);
        try {
            server.close();
        } catch (IOException ignored) {
            // Closed already.
        }
    }
}
