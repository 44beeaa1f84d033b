package dev.junction.state;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy to the machine's Redis that can lose the answer of a command: {@link #loseReplies}
 * arms it so the next commands whose bytes contain a marker (a script's SHA-1) reach Redis and run
 * there, but their replies never reach the client, which times out: the case where the client
 * cannot tell whether its operation ran.
 */
final class ReplyLosingProxy implements AutoCloseable {

    private final ServerSocket server;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final AtomicInteger toLose = new AtomicInteger();
    private final AtomicInteger lost = new AtomicInteger();
    private volatile byte[] marker = new byte[0];
    private volatile boolean closed;

    ReplyLosingProxy() throws IOException {
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofPlatform().daemon(true).name("reply-losing-proxy").start(this::accept);
    }

    int port() {
        return server.getLocalPort();
    }

    /** The replies to the next {@code count} commands containing {@code text} are lost. */
    void loseReplies(String text, int count) {
        marker = text.getBytes(StandardCharsets.US_ASCII);
        lost.set(0);
        toLose.set(count);
    }

    /** Replies lost since the last {@link #loseReplies}. */
    int lost() {
        return lost.get();
    }

    private void accept() {
        while (!closed) {
            try {
                Socket client = server.accept();
                Socket upstream = new Socket("127.0.0.1", 6379);
                client.setTcpNoDelay(true);
                upstream.setTcpNoDelay(true);
                sockets.add(client);
                sockets.add(upstream);
                AtomicBoolean swallow = new AtomicBoolean();
                pump(client, upstream, swallow, true);
                pump(upstream, client, swallow, false);
            } catch (IOException e) {
                return;
            }
        }
    }

    private void pump(Socket from, Socket to, AtomicBoolean swallow, boolean commands) {
        Thread.ofVirtual().start(() -> {
            byte[] buffer = new byte[64 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    if (commands) {
                        if (contains(buffer, n, marker) && toLose.getAndUpdate(v -> Math.max(0, v - 1)) > 0) {
                            swallow.set(true);
                        }
                    } else if (swallow.compareAndSet(true, false)) {
                        lost.incrementAndGet();
                        continue; // Redis ran it; the client never hears
                    }
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // one side closed
            } finally {
                close(from);
                close(to);
            }
        });
    }

    private static boolean contains(byte[] data, int length, byte[] what) {
        if (what.length == 0) {
            return false;
        }
        outer:
        for (int i = 0; i + what.length <= length; i++) {
            for (int j = 0; j < what.length; j++) {
                if (data[i + j] != what[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    private void close(Socket socket) {
        sockets.remove(socket);
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        server.close();
        sockets.forEach(this::close);
    }
}
