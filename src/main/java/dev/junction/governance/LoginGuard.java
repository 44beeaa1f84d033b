package dev.junction.governance;

import dev.junction.core.Clock;
import dev.junction.store.LoginThrottleStore;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Throttles sign-ins. An account is locked for {@link Policy#lockout} after
 * {@link Policy#maxFailures} consecutive failures (a success starts the count again); a client
 * address is locked as long after {@link Policy#maxFailuresPerAddress} failures within
 * {@link Policy#addressWindow}, whichever accounts they were for (a success does not reset it, so one
 * valid account cannot launder guesses at others). While locked, a sign-in is refused before its
 * password is checked. The counts live in the database, so every instance sees them.
 */
public final class LoginGuard {

    /**
     * The limits.
     *
     * @param maxFailures consecutive failures that lock an account
     * @param lockout how long a lock lasts
     * @param maxFailuresPerAddress failures from one address within {@code addressWindow} that lock it
     * @param addressWindow the window the address failures are counted in
     */
    public record Policy(int maxFailures, Duration lockout, int maxFailuresPerAddress, Duration addressWindow) {

        /** 5 failures lock an account, 20 within 15 minutes lock an address; locks last 15 minutes. */
        public static final Policy DEFAULT = new Policy(5, Duration.ofMinutes(15), 20, Duration.ofMinutes(15));

        public Policy {
            Objects.requireNonNull(lockout, "lockout");
            Objects.requireNonNull(addressWindow, "addressWindow");
            if (maxFailures < 1 || maxFailuresPerAddress < 1) {
                throw new IllegalArgumentException("failure limits must be at least 1");
            }
        }
    }

    private final LoginThrottleStore store;
    private final Policy policy;
    private final Clock clock;

    public LoginGuard(LoginThrottleStore store, Policy policy, Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** How long until the account or the address may try again, if either is locked now. */
    public Optional<Duration> blocked(String account, String address) {
        long now = clock.now().toEpochMilli();
        OptionalLong accountLock = store.lockedUntil(accountSubject(account), now);
        OptionalLong addressLock = store.lockedUntil(addressSubject(address), now);
        long until = Math.max(accountLock.orElse(0), addressLock.orElse(0));
        return until > now ? Optional.of(Duration.ofMillis(until - now)) : Optional.empty();
    }

    /** Counts a failed sign-in against the account and the address. */
    public void failed(String account, String address) {
        long now = clock.now().toEpochMilli();
        store.recordFailure(accountSubject(account), now, Long.MIN_VALUE, policy.maxFailures(),
                policy.lockout().toMillis());
        store.recordFailure(addressSubject(address), now, now - policy.addressWindow().toMillis(),
                policy.maxFailuresPerAddress(), policy.lockout().toMillis());
    }

    /** A successful sign-in: the account's failures are forgotten. */
    public void succeeded(String account) {
        store.clear(accountSubject(account));
    }

    private static String accountSubject(String account) {
        return "account:" + account;
    }

    private static String addressSubject(String address) {
        return "ip:" + address;
    }
}
