package dev.junction.testing;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A webhook receiver over real HTTP: it records every POST (path, query, body, Authorization) and answers 204, or
 * 500 for the first {@code failFirst} posts (to make the sender retry), or first the answers given to
 * {@link #answerNext} (a status, with a {@code Retry-After} when one is given).
 */
public final class FakeWebhookReceiver implements AutoCloseable {

    /**
     * One POST as received.
     *
     * @param authorization its Authorization header, null when it had none
     */
    public record Post(String path, String query, String body, int answered, String authorization) {
    }

    private final HttpServer server;
    private final List<Post> posts = new CopyOnWriteArrayList<>();
    private final AtomicInteger failFirst;
    private final Queue<Answer> scripted = new ConcurrentLinkedQueue<>();

    /** A scripted answer: a status and a {@code Retry-After} value (null: none). */
    private record Answer(int status, String retryAfter) {
    }

    private FakeWebhookReceiver(int failFirst) throws IOException {
        this.failFirst = new AtomicInteger(failFirst);
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", exchange -> {
            String body;
            try (InputStream in = exchange.getRequestBody()) {
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            Answer answer = scripted.poll();
            int status = answer != null ? answer.status() : failFirst() ? 500 : 204;
            if (answer != null && answer.retryAfter() != null) {
                exchange.getResponseHeaders().add("Retry-After", answer.retryAfter());
            }
            posts.add(new Post(exchange.getRequestURI().getPath(), exchange.getRequestURI().getRawQuery(), body,
                    status, exchange.getRequestHeaders().getFirst("Authorization")));
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
    }

    private boolean failFirst() {
        return failFirst.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
    }

    public static FakeWebhookReceiver start(int failFirst) throws IOException {
        return new FakeWebhookReceiver(failFirst);
    }

    /** The next post is answered {@code status}, with {@code Retry-After: retryAfter} unless it is null. */
    public FakeWebhookReceiver answerNext(int status, String retryAfter) {
        scripted.add(new Answer(status, retryAfter));
        return this;
    }

    public String url(String pathAndQuery) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + pathAndQuery;
    }

    public List<Post> posts() {
        return List.copyOf(posts);
    }

    /** The posts {@code which} accepts, once there are at least {@code count} (or after 15 s). */
    public List<Post> await(Predicate<Post> which, int count) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (true) {
            List<Post> found = posts.stream().filter(which).toList();
            if (found.size() >= count || System.nanoTime() > deadline) {
                return found;
            }
            Thread.sleep(10);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
