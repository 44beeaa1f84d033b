package dev.junction.config;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code admin:} section: the dashboard and the admin API.
 *
 * @param password seeds the owner account on first start (with {@code JUNCTION_ADMIN_PASSWORD} as the
 *     alternative); absent, the dashboard asks for the owner on first visit. There is no default.
 * @param trustedProxies addresses or CIDR ranges of reverse proxies whose {@code X-Forwarded-For} and
 *     {@code X-Forwarded-Proto} are believed; none by default
 * @param sessionTtl how long a dashboard session lasts after sign-in
 * @param maxFailures consecutive failed sign-ins that lock an account
 * @param lockout how long a lock lasts
 * @param maxFailuresPerAddress failed sign-ins from one address within {@code addressWindow} that lock it
 * @param addressWindow the window of {@code maxFailuresPerAddress}
 * @param allowPrivateBaseUrls whether channels made through the admin API (and the dashboard) may
 *     point at loopback and private addresses (Ollama on this host or the LAN); link-local and
 *     cloud-metadata addresses are refused there whatever this says. Off by default.
 */
public record AdminConfig(Optional<String> password, List<String> trustedProxies, Duration sessionTtl,
        int maxFailures, Duration lockout, int maxFailuresPerAddress, Duration addressWindow,
        boolean allowPrivateBaseUrls) {

    public static final AdminConfig DEFAULT = new AdminConfig(Optional.empty(), List.of(), Duration.ofHours(12),
            5, Duration.ofMinutes(15), 20, Duration.ofMinutes(15), false);

    /** The same settings with {@code allowPrivateBaseUrls} as given. */
    public AdminConfig withPrivateBaseUrls(boolean allow) {
        return new AdminConfig(password, trustedProxies, sessionTtl, maxFailures, lockout, maxFailuresPerAddress,
                addressWindow, allow);
    }

    public AdminConfig {
        Objects.requireNonNull(password, "password");
        trustedProxies = List.copyOf(trustedProxies);
        Objects.requireNonNull(sessionTtl, "sessionTtl");
        Objects.requireNonNull(lockout, "lockout");
        Objects.requireNonNull(addressWindow, "addressWindow");
    }

    /** Never shows the password. */
    @Override
    public String toString() {
        return "AdminConfig[password=" + (password.isPresent() ? "(set)" : "(none)") + ", trustedProxies="
                + trustedProxies + ", sessionTtl=" + sessionTtl + ", maxFailures=" + maxFailures + ", lockout="
                + lockout + ", maxFailuresPerAddress=" + maxFailuresPerAddress + ", addressWindow=" + addressWindow
                + ", allowPrivateBaseUrls=" + allowPrivateBaseUrls + "]";
    }
}
