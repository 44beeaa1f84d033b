package dev.junction.admin.alerts;

import dev.junction.config.AlertsConfig;
import dev.junction.store.WebhookStore.WebhookRow;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One alert webhook, from the config file ({@link #FILE}, read-only, no extra headers) or the admin
 * API ({@link #DATABASE}). Its URL and headers are secrets: {@link #toString()} shows the origin only.
 *
 * @param headers extra request headers, e.g. {@code Authorization}
 * @param minTier the lowest tier it is sent
 */
public record Hook(String name, URI url, Map<String, String> headers, String format, Tier minTier, Duration timeout,
        int retries, Duration backoff, boolean enabled, String source) {

    public static final String FILE = "file";
    public static final String DATABASE = "api";
    /**
     * The back-off before a webhook's first retry (doubling after, capped: {@link RetrySchedule}): the
     * file's default and every admin API webhook's.
     */
    public static final Duration BACKOFF = Duration.ofSeconds(1);

    public Hook {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(url, "url");
        headers = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(headers));
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(minTier, "minTier");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(backoff, "backoff");
        Objects.requireNonNull(source, "source");
    }

    static Hook of(AlertsConfig.Webhook w) {
        return new Hook(w.name(), w.url(), Map.of(), w.format(), Tier.parse(w.minTier()).orElse(Tier.INFO),
                w.timeout(), w.retries(), w.backoff(), true, FILE);
    }

    public static Hook of(WebhookRow w) {
        return new Hook(w.name(), w.url(), w.headers(), w.format(), Tier.parse(w.minTier()).orElse(Tier.INFO),
                Duration.ofMillis(w.timeoutMillis()), w.retries(), BACKOFF, w.enabled(), DATABASE);
    }

    /** {@code scheme://host[:port]}: what of the URL may be logged or shown. */
    public String origin() {
        return Webhooks.origin(url);
    }

    @Override
    public String toString() {
        return "Hook[" + name + " " + origin() + "/…]";
    }
}
