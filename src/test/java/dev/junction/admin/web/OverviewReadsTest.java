package dev.junction.admin.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.admin.AdminApi;
import dev.junction.admin.ApiAnswer;
import dev.junction.config.AdminConfig;
import dev.junction.core.Attempt;
import dev.junction.core.Clock;
import dev.junction.core.EndReason;
import dev.junction.core.TokenUsage;
import dev.junction.core.Units;
import dev.junction.http.Downstream;
import dev.junction.http.Exchange;
import dev.junction.store.Database;
import dev.junction.store.Secrets;
import dev.junction.usage.UsageRecord;
import dev.junction.usage.UsageWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * The Overview's reads side by side ({@link Req#prefetch}): the page over the real admin API on a
 * real SQLite database with usage, a channel and a config version, its API calls counted as they
 * happen. Its reads run on the read threads at once (as many as there are threads), none on the
 * page's own thread but the sign-in check; the page is the same as when the reads run one after
 * another; and a read that throws shows as its card's error while the rest of the page renders.
 */
class OverviewReadsTest {

    private static final String PASSWORD = "owner-password-1";
    /** When the pages are asked for; the channel (and its config version) was made an hour before. */
    private static final Instant NOW = Instant.parse("2026-03-15T12:34:56Z");
    /** The month the pages show, as the API is asked for it. */
    private static final String MONTH = "from=" + NOW.minus(Duration.ofDays(30)).toEpochMilli() + "&to="
            + NOW.toEpochMilli();

    @TempDir
    Path dir;
    final AtomicReference<Instant> time = new AtomicReference<>(NOW.minus(Duration.ofHours(1)));
    final Clock clock = new Clock() {
        @Override
        public Instant now() {
            return time.get();
        }

        @Override
        public long nanoTime() {
            return System.nanoTime();
        }
    };
    Database db;
    AdminApi admin;
    ExecutorService reads;
    String cookie;

    @BeforeEach
    void start() throws Exception {
        db = Database.open("sqlite:" + dir.resolve("junction.db"));
        admin = AdminApi.create(db, Secrets.of(new byte[32]), AdminConfig.DEFAULT, clock);
        assertThat(admin.seedOwner(PASSWORD)).isTrue();
        ObjectMapper json = new ObjectMapper();
        ApiAnswer login = admin.call(new Browser(Map.of(), ""), "POST", "/api/login",
                json.readTree("{\"name\":\"admin\",\"password\":\"" + PASSWORD + "\"}"), null);
        assertThat(login.status()).isEqualTo(200);
        String setCookie = login.headers().get("Set-Cookie");
        cookie = setCookie.substring(0, setCookie.indexOf(';'));
        String csrf = admin.call(new Browser(Map.of(), cookie), "GET", "/api/me", null, null).body()
                .path("csrf_token").asString();
        ApiAnswer channel = admin.call(new Browser(Map.of(), cookie), "POST", "/api/channels", json.readTree(
                "{\"name\":\"main\",\"type\":\"openai\",\"base_url\":\"https://api.example.com/v1\",\"api_key\":"
                        + "\"sk-test-overview\",\"models\":{\"gpt\":\"gpt-4o\",\"embed\":\"text-embedding-3-small\"}}"),
                csrf);
        assertThat(channel.status()).as(channel.body().toString()).isEqualTo(201);
        long channelId = channel.body().path("id").asLong();
        UsageWriter writer = UsageWriter.start(db, 1000);
        long now = clock.now().toEpochMilli();
        time.set(NOW);
        for (int i = 0; i < 300; i++) {
            boolean embed = i % 4 == 0;
            writer.record(new UsageRecord("req-" + i, Instant.ofEpochMilli(now - i * 2_000_000L), "laptop",
                    embed ? "embed" : "gpt", "main", embed ? "text-embedding-3-small" : "gpt-4o",
                    i % 17 == 0 ? 502 : 200, new TokenUsage(100 + i, embed ? 0 : 20 + i % 9, 0, 0, 0), 300 + i * 7L,
                    embed ? -1 : 120 + i, !embed, List.of(new Attempt("main", "", 200, "ok", 9)), EndReason.DONE, 1L,
                    channelId).withCost(1000L + i).withUnits(embed ? "embeddings" : "chat",
                            Units.of(embed ? 100 + i : 120 + i + i % 9, Units.TOKEN)));
        }
        assertThat(writer.flush(30, TimeUnit.SECONDS)).isTrue();
        writer.close();
        reads = Executors.newFixedThreadPool(Dashboard.READ_THREADS);
    }

    @AfterEach
    void stop() {
        if (reads != null) {
            reads.shutdownNow();
        }
        if (db != null) {
            db.close();
        }
    }

    /** The API as the page calls it, each call counted; usage reads wait until the read threads all hold one. */
    final class Counted implements Req.Api {
        final AtomicInteger inFlight = new AtomicInteger();
        final AtomicInteger most = new AtomicInteger();
        final List<String> onPageThread = Collections.synchronizedList(new ArrayList<>());
        final List<String> all = Collections.synchronizedList(new ArrayList<>());
        final CountDownLatch together;
        final AtomicBoolean apart = new AtomicBoolean();
        final String failing;
        volatile Thread page;

        Counted(int together, String failing) {
            this.together = new CountDownLatch(together);
            this.failing = failing;
        }

        @Override
        public ApiAnswer call(Exchange from, String method, String pathAndQuery, JsonNode json, String csrf) {
            all.add(pathAndQuery);
            if (Thread.currentThread() == page) {
                onPageThread.add(pathAndQuery);
            }
            int now = inFlight.incrementAndGet();
            most.accumulateAndGet(now, Math::max);
            try {
                if (pathAndQuery.startsWith("/api/usage/") && !apart.get()) {
                    together.countDown();
                    try {
                        // Not a timing threshold: one after another, the first read would wait for ever.
                        if (!together.await(20, TimeUnit.SECONDS)) {
                            apart.set(true);
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                if (pathAndQuery.equals(failing)) {
                    throw new IllegalStateException("the database went away");
                }
                return admin.call(from, method, pathAndQuery, json, csrf);
            } finally {
                inFlight.decrementAndGet();
            }
        }
    }

    Answer overview(Counted api, Executor on) {
        api.page = Thread.currentThread();
        Req req = new Req(new Browser(Map.of("range", "month"), cookie), api, on, Map.of());
        assertThat(req.me()).isPresent();
        return new OverviewPage(clock).routes().getFirst().page().serve(req);
    }

    @Test
    void theOverviewsReadsRunSideBySideAndThePageIsTheSameAsWithTheReadsOneByOne() {
        Counted oneByOne = new Counted(1, null);
        Answer expected = overview(oneByOne, Runnable::run);
        assertThat(oneByOne.most.get()).isEqualTo(1);

        Counted sideBySide = new Counted(Dashboard.READ_THREADS, null);
        Answer page = overview(sideBySide, reads);
        assertThat(sideBySide.apart).isFalse();
        assertThat(sideBySide.most.get()).as("reads in flight at once").isEqualTo(Dashboard.READ_THREADS);
        assertThat(sideBySide.onPageThread).as("only the sign-in check is read on the page's thread")
                .containsExactly("/api/me");
        assertThat(sideBySide.all).containsExactlyInAnyOrderElementsOf(oneByOne.all)
                .contains("/api/routing/explain?model=gpt", "/api/routing/explain?model=embed", "/api/limits");

        assertThat(page.status()).isEqualTo(200);
        assertThat(page.html()).isEqualTo(expected.html()).contains("data-breakdown=\"endpoint\"")
                .contains("data-series=\"endpoint\"").contains("data-now=\"channels\"").contains("data-timeline");
    }

    @Test
    void aReadThatFailsShowsAsItsCardsErrorAndTheRestOfThePageRenders() {
        Counted api = new Counted(Dashboard.READ_THREADS, "/api/usage/top?by=channel&order=requests&limit=8&" + MONTH);
        Answer page = overview(api, reads);
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.html()).contains("Something went wrong on the gateway; the log has the details.")
                .contains("<h2>Channels</h2>").contains("data-breakdown=\"model\"").contains("data-breakdown=\"key\"")
                .doesNotContain("data-breakdown=\"channel\"");
    }

    /** The browser's request for a page: its query and session cookie. */
    record Browser(Map<String, String> query, String cookie) implements Exchange {

        @Override
        public String requestId() {
            return "req-overview";
        }

        @Override
        public String method() {
            return "GET";
        }

        @Override
        public String path() {
            return "/";
        }

        @Override
        public Optional<String> query(String name) {
            return Optional.ofNullable(query.get(name));
        }

        @Override
        public Optional<String> header(String name) {
            return name.equalsIgnoreCase("Cookie") && !cookie.isEmpty() ? Optional.of(cookie) : Optional.empty();
        }

        @Override
        public byte[] body() {
            return new byte[0];
        }

        @Override
        public Downstream downstream() {
            throw new UnsupportedOperationException("the page's answer is returned, not written");
        }

        @Override
        public String remoteAddress() {
            return "127.0.0.1";
        }
    }
}
