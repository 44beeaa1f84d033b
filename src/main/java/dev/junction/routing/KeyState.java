package dev.junction.routing;

import java.util.Optional;

/**
 * One provider key of a channel and what routing remembers of it: resting after a rate limit until
 * a time, or disabled after the provider refused it (401/403) until a probe shows it works again.
 */
public final class KeyState {

    private final ProviderKey key;
    private long coolUntil;
    private boolean disabled;
    private long nextProbe;
    private String disabledReason = "";

    KeyState(ProviderKey key) {
        this.key = key;
    }

    /** The credential; empty for an upstream without auth. */
    public Optional<ProviderKey> key() {
        return Optional.ofNullable(key);
    }

    /** What logs and usage records may show: the last four characters. */
    public String suffix() {
        return key == null ? "" : key.suffix();
    }

    synchronized boolean usable(long now) {
        return !disabled && now >= coolUntil;
    }

    public synchronized boolean disabled() {
        return disabled;
    }

    synchronized long coolUntil() {
        return coolUntil;
    }

    synchronized void coolUntil(long until) {
        coolUntil = Math.max(coolUntil, until);
    }

    synchronized void disable(String reason, long probeAt) {
        disabled = true;
        disabledReason = reason;
        nextProbe = probeAt;
    }

    public synchronized void enable() {
        disabled = false;
        disabledReason = "";
        coolUntil = 0;
    }

    /** Whether a disabled key is due for a probe; moves the next probe time forward when it is. */
    public synchronized boolean probeDue(long now, long interval) {
        if (!disabled || now < nextProbe) {
            return false;
        }
        nextProbe = now + interval;
        return true;
    }

    public synchronized String disabledReason() {
        return disabledReason;
    }

    @Override
    public String toString() {
        return "KeyState[" + suffix() + "]";
    }
}
