package dev.junction.config;

import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A gateway key from the config file. The plaintext lives only here and in the file; the store
 * keeps a keyed hash of it.
 *
 * @param name label shown in usage and the dashboard
 * @param key the secret clients send
 * @param models public model names or globs this key may use
 * @param team the team it belongs to ({@code team:}), whose limits and budget it shares
 * @param limits its own rpm, tpm and concurrency limits ({@code limits:})
 * @param budget its own spending cap ({@code budget:})
 */
public record KeyConfig(String name, String key, List<String> models, Optional<String> team, Limits limits,
        Optional<Budget> budget) {

    /**
     * {@code limits: { rpm, tpm, concurrent }}; 0 where not given.
     *
     * @param rpm requests per minute
     * @param tpm tokens (input + output) per minute
     * @param concurrent requests in flight
     */
    public record Limits(long rpm, long tpm, long concurrent) {
        public static final Limits NONE = new Limits(0, 0, 0);
    }

    /**
     * {@code budget: { usd, period }}.
     *
     * @param usd dollars per period
     * @param period {@code day}, {@code week} or {@code month} (calendar, UTC)
     */
    public record Budget(BigDecimal usd, String period) {
        public Budget {
            Objects.requireNonNull(usd, "usd");
            Objects.requireNonNull(period, "period");
        }
    }

    public KeyConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(key, "key");
        models = List.copyOf(models);
        Objects.requireNonNull(team, "team");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(budget, "budget");
    }

    /** A key with no team, limits or budget. */
    public KeyConfig(String name, String key, List<String> models) {
        this(name, key, models, Optional.empty(), Limits.NONE, Optional.empty());
    }

    @Override
    public String toString() {
        return "KeyConfig[name=" + name + ", models=" + models + ", team=" + team.orElse("-") + ", limits=" + limits
                + ", budget=" + budget.map(Budget::toString).orElse("-") + "]";
    }
}
