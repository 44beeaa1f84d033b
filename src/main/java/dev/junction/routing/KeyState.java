package dev.junction.routing;

import dev.junction.state.State;
import dev.junction.state.StateKey;
import dev.junction.state.Suspension;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;

/**
 * One provider key of a channel in one routing snapshot, and a view of what routing remembers
 * of it in the shared {@link State}: resting after a rate limit until a time, or suspended after
 * the provider refused it (401/403) until a probe shows it works again. That state is keyed by
 * the channel's id and the key's {@link #id() id}, so it outlives the snapshot.
 */
public final class KeyState {

    /** The id of the "key" of a channel without auth. */
    static final String NO_KEY = "none";

    private final ProviderKey key;
    private final String id;
    private final StateKey subject;
    private final State state;
    private final Channel channel;

    KeyState(Channel channel, ProviderKey key, State state) {
        this.channel = channel;
        this.key = key;
        this.id = key == null ? NO_KEY : fingerprint(key.secret());
        this.subject = StateKey.key(channel.id(), id);
        this.state = state;
    }

    /** The credential; empty for an upstream without auth. */
    public Optional<ProviderKey> key() {
        return Optional.ofNullable(key);
    }

    /** What logs and usage records may show: the last four characters. */
    public String suffix() {
        return key == null ? "" : key.suffix();
    }

    /**
     * The key's stable id within its channel: the first 64 bits of the SHA-256 of the secret, so the
     * same key keeps its state across snapshots wherever it sits in the list, and the id reveals
     * nothing usable of a (high-entropy) provider key.
     */
    public String id() {
        return id;
    }

    StateKey subject() {
        return subject;
    }

    boolean usable(Instant now) {
        return usable("", now);
    }

    /** Neither suspended nor resting, as a whole or for {@code upstreamModel}. */
    boolean usable(String upstreamModel, Instant now) {
        return !state.suspensions().suspended(subject) && !coolUntil(upstreamModel).isAfter(now);
    }

    /** True while the key rests after a rate limit. */
    public boolean cooling(Instant now) {
        return state.cooldowns().until(subject).isAfter(now);
    }

    /** True while the provider refuses this key and no probe has shown it works again. */
    public boolean disabled() {
        return state.suspensions().suspended(subject);
    }

    Instant coolUntil() {
        return state.cooldowns().until(subject);
    }

    /** When the key may serve {@code upstreamModel} again: the later of its own rest and that model's. */
    Instant coolUntil(String upstreamModel) {
        Instant whole = state.cooldowns().until(subject);
        if (upstreamModel.isEmpty()) {
            return whole;
        }
        Instant model = state.cooldowns().until(subject.withModel(upstreamModel));
        return model.isAfter(whole) ? model : whole;
    }

    /** A probe showed the key works again: it goes back into rotation. */
    public void enable() {
        channel.report(this, Outcome.KEY_RESTORED);
    }

    /**
     * Whether a disabled key is due for a probe; claims the probe (moves the next one {@code interval}
     * on) when it is, so only one caller runs it.
     */
    public boolean probeDue(Instant now, Duration interval) {
        return state.suspensions().claimCheck(subject, now, interval);
    }

    /** Why the key is disabled; empty when it is not. */
    String disabledReason() {
        return state.suspensions().suspension(subject).map(Suspension::reason).orElse("");
    }

    @Override
    public String toString() {
        return "KeyState[" + suffix() + "]";
    }

    private static String fingerprint(String secret) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
