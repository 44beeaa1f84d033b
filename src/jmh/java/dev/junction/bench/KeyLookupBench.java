package dev.junction.bench;

import dev.junction.governance.AddressRange;
import dev.junction.governance.GatewayKey;
import dev.junction.governance.KeyHasher;
import dev.junction.governance.KeyRing;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The gateway-key check on the request path, as {@code ingress.Authenticator} does it: find the
 * presented key in the in-memory ring (one HMAC-SHA-256 and a hash-map lookup among 1,000 keys),
 * then its expiry and address allow-list, then the model allow-list. {@code fixedRing} is the path
 * before keys could change at runtime (a ring captured once at start); {@code liveRing} reads the
 * ring the admin API replaces on every change (an {@code AtomicReference}, as {@code LiveConfig}
 * holds it); {@code liveRingExpiryAndCidrs} adds an expiry and a three-range allow-list.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class KeyLookupBench {

    private static final int KEYS = 1_000;

    private Supplier<KeyRing> fixed;
    private Supplier<KeyRing> live;
    private String plain;
    private String guarded;
    private Instant now;

    @Setup
    public void setUp() {
        KeyHasher hasher = KeyHasher.withPepper(new byte[32]);
        Map<String, GatewayKey> byHash = new HashMap<>();
        for (int i = 0; i < KEYS; i++) {
            String secret = "sk-" + Integer.toString(i, 36) + "Abcdefghijklmnopqrstuvwxyz0123456789_-AbCdEf";
            byHash.put(hasher.hash(secret), new GatewayKey(i + 1, "key-" + i, KeyHasher.hint(secret),
                    List.of("claude-*", "gpt-4o-mini")));
        }
        plain = "sk-plainAbcdefghijklmnopqrstuvwxyz0123456789_-AbCdEf";
        guarded = "sk-guardAbcdefghijklmnopqrstuvwxyz0123456789_-AbCdEf";
        byHash.put(hasher.hash(plain), new GatewayKey(5001, "plain", "…CdEf", List.of("claude-*", "gpt-4o-mini")));
        byHash.put(hasher.hash(guarded), new GatewayKey(5002, "guarded", "…CdEf", List.of("claude-*", "gpt-4o-mini"),
                Optional.of(Instant.parse("2099-01-01T00:00:00Z")), List.of(AddressRange.parse("192.0.2.0/24")
                        .orElseThrow(), AddressRange.parse("2001:db8::/32").orElseThrow(),
                        AddressRange.parse("10.0.0.0/8").orElseThrow())));
        KeyRing ring = KeyRing.of(hasher, byHash);
        fixed = () -> ring;
        AtomicReference<KeyRing> current = new AtomicReference<>(ring);
        live = current::get;
        now = Instant.parse("2026-12-03T00:00:00Z");
    }

    @Benchmark
    public boolean fixedRing() {
        GatewayKey key = fixed.get().find(plain).orElseThrow();
        return key.allows("gpt-4o-mini");
    }

    @Benchmark
    public boolean liveRing() {
        GatewayKey key = live.get().find(plain).orElseThrow();
        if (key.expiresAt().isPresent() && key.expired(now)) {
            return false;
        }
        if (!key.addresses().isEmpty() && !key.admitsAddress("10.1.2.3")) {
            return false;
        }
        return key.allows("gpt-4o-mini");
    }

    @Benchmark
    public boolean liveRingExpiryAndCidrs() {
        GatewayKey key = live.get().find(guarded).orElseThrow();
        if (key.expiresAt().isPresent() && key.expired(now)) {
            return false;
        }
        if (!key.addresses().isEmpty() && !key.admitsAddress("10.1.2.3")) {
            return false;
        }
        return key.allows("gpt-4o-mini");
    }
}
