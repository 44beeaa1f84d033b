package dev.junction.ingress;

import dev.junction.catalog.Catalog;
import dev.junction.core.ChannelType;
import dev.junction.core.Clock;
import dev.junction.core.EndReason;
import dev.junction.core.TokenUsage;
import dev.junction.governance.Budget;
import dev.junction.governance.Demand;
import dev.junction.governance.GatewayKey;
import dev.junction.governance.KeyHasher;
import dev.junction.governance.KeyRing;
import dev.junction.governance.Level;
import dev.junction.governance.Limiter;
import dev.junction.governance.Limits;
import dev.junction.governance.Period;
import dev.junction.governance.Quota;
import dev.junction.governance.Quotas;
import dev.junction.governance.SoftThresholds;
import dev.junction.ingress.Admission.Recording;
import dev.junction.protocol.openai.ChatClientRequest;
import dev.junction.protocol.openai.ChatRequest;
import dev.junction.relay.RelayResult;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;

/**
 * What admitting one request costs on its thread, in memory (no HTTP, no database):
 * <ul>
 *   <li>{@code keyLookup}: finding the presented key among 1000 by its keyed hash;</li>
 *   <li>{@code limitsAndBudget}: the limit check alone for a key held to rpm, tpm, concurrency and
 *       a budget, and its team to rpm and a budget (two levels, eight bounded counter increments, the
 *       upper-bound estimate from the body and the catalog price), then settling it with the real
 *       tokens;</li>
 *   <li>{@code admitWithLimits}: the whole admission of a chat request (key lookup, body read,
 *       allow-list, model check, the limit check) and the ticket's close (settling, usage row handed
 *       to a no-op sink); {@code admitWithoutLimits} the same with no limit check, the baseline;</li>
 *   <li>{@code admitWithLimits4Threads}: four threads admitting for the same key at once, the
 *       contended case (every counter is the same map entry).</li>
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class AdmissionBench {

    private static final String BODY = "{\"model\":\"gpt\",\"max_tokens\":1000,\"messages\":[{\"role\":\"system\","
            + "\"content\":\"You are a helpful assistant.\"},{\"role\":\"user\",\"content\":\"Write a haiku about "
            + "the sea, then explain its imagery in two sentences.\"}]}";
    private static final long KEY_ID = 500;
    private static final String SECRET = "sk-bench-key-00500";
    private static final RelayResult RESULT = new RelayResult(200, "openai", "gpt-4o",
            new TokenUsage(40, 120, 0, 0, 0), List.of(), 300, EndReason.DONE);

    private static final ServedModels MODELS = new ServedModels() {
        @Override
        public boolean serves(String model) {
            return model.equals("gpt");
        }

        @Override
        public Collection<String> names() {
            return List.of("gpt");
        }

        @Override
        public Optional<ChannelType> firstChannelType(String model) {
            return Optional.of(ChannelType.OPENAI);
        }
    };

    private KeyRing ring;
    private Admission withLimits;
    private Admission withoutLimits;
    private static final Demand DEMAND = new Demand(1_060, 10_200);
    private LimitCheck check;
    private Limiter limiter;
    private List<Quota> quotaList;
    private Admitted admitted;

    @Setup
    public void setUp() {
        KeyHasher hasher = KeyHasher.withPepper(new byte[32]);
        Map<String, GatewayKey> keys = new HashMap<>();
        for (long id = 1; id <= 1000; id++) {
            String secret = String.format("sk-bench-key-%05d", id);
            keys.put(hasher.hash(secret), new GatewayKey(id, "key" + id, "…" + id, List.of("claude-*", "gpt*")));
        }
        ring = KeyRing.of(hasher, keys);
        long many = 1_000_000_000_000L;
        Quota key = new Quota(Level.KEY, KEY_ID, "key500", new Limits(many, many, many),
                Optional.of(new Budget(many, Period.MONTH)));
        Quota team = new Quota(Level.TEAM, 7, "backend", new Limits(many, 0, 0),
                Optional.of(new Budget(many, Period.DAY)));
        Quotas quotas = Quotas.of(List.of(key, team), Map.of(KEY_ID, List.of(7L)), Map.of(), Map.of());
        Clock clock = Clock.system();
        limiter = new Limiter(dev.junction.state.State.inMemory(clock).counters(), clock, new SoftThresholds(clock));
        quotaList = quotas.of(KEY_ID);
        check = LimitCheck.of(() -> quotas, limiter, model -> List.of("gpt-4o"), Catalog.builtIn(),
                dev.junction.usage.Pricing.of(channel -> Optional.empty(), Catalog.builtIn()));
        withLimits = new Admission(new Authenticator(() -> ring), MODELS, List.of(check), row -> { }, clock);
        withoutLimits = new Admission(new Authenticator(() -> ring), MODELS, List.of(), row -> { }, clock);
        FakeExchange exchange = request();
        ChatClientRequest chat = ChatClientRequest.of(ChatRequest.parse(BODY.getBytes(StandardCharsets.UTF_8)));
        admitted = new Admitted(exchange, ring.find(SECRET).orElseThrow(), Subject.of(chat));
        if (check.demand("gpt", BODY.getBytes(StandardCharsets.UTF_8)).equals(Demand.NONE)) {
            throw new IllegalStateException("the bench must reserve something");
        }
    }

    private static FakeExchange request() {
        return new FakeExchange("POST", "/v1/chat/completions", BODY).withHeader("Authorization", "Bearer " + SECRET);
    }

    private static void serve(Admission admission) throws Exception {
        admission.serve(request(), ErrorShape.OPENAI, Recording.RECORDED, (exchange, ticket) -> {
            ticket.admit((Admission.Reader<ChatClientRequest>) e -> ChatClientRequest.of(ChatRequest.parse(e.body())),
                    Subject::of);
            ticket.relayed(RESULT);
        });
    }

    @Benchmark
    public Object keyLookup() {
        return ring.find(SECRET);
    }

    /** The upper-bound estimate alone: output limit read from the body, candidates, catalog prices. */
    @Benchmark
    public Object demand() {
        return check.demand("gpt", admitted.exchange().body());
    }

    /** The eight bounded increments and their settling alone. */
    @Benchmark
    public void reserveAndSettle() {
        limiter.reserve(quotaList, DEMAND).settle(160, 1_300);
    }

    @Benchmark
    public void limitsAndBudget() {
        check.admit(admitted).settle(new Outcome.Relayed(RESULT));
    }

    @Benchmark
    public void admitWithLimits() throws Exception {
        serve(withLimits);
    }

    @Benchmark
    public void admitWithoutLimits() throws Exception {
        serve(withoutLimits);
    }

    @Benchmark
    @Threads(4)
    public void admitWithLimits4Threads() throws Exception {
        serve(withLimits);
    }

}
