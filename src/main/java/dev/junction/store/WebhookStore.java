package dev.junction.store;

import java.net.URI;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Alert webhooks made in the admin API ({@code alert_webhooks}). The URL and the extra headers are
 * sealed with the master key (AES-GCM, the webhook's name as context), like channels' provider
 * keys: a webhook URL is a credential (Slack's path, a token in a query). Only the origin is stored
 * open. Every instance reads this table when it sends, so a change reaches all of them at once.
 */
public final class WebhookStore {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final TypeReference<LinkedHashMap<String, String>> HEADERS = new TypeReference<>() {
    };

    /**
     * One webhook, unsealed.
     *
     * @param headers extra request headers (e.g. Authorization), in order
     */
    public record WebhookRow(String name, URI url, Map<String, String> headers, String format, String minTier,
            long timeoutMillis, int retries, boolean enabled, String updatedBy, long updatedMillis) {
        public WebhookRow {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(url, "url");
            headers = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(headers));
            Objects.requireNonNull(format, "format");
            Objects.requireNonNull(minTier, "minTier");
            Objects.requireNonNull(updatedBy, "updatedBy");
        }

        @Override
        public String toString() {
            return "WebhookRow[" + name + " " + url.getScheme() + "://" + url.getAuthority() + "/…]";
        }
    }

    private final Database database;
    private final Secrets secrets;

    public WebhookStore(Database database, Secrets secrets) {
        this.database = Objects.requireNonNull(database, "database");
        this.secrets = Objects.requireNonNull(secrets, "secrets");
    }

    private static String context(String name) {
        return "alert_webhooks:" + name;
    }

    private static String origin(URI url) {
        return url.getScheme() + "://" + url.getHost() + (url.getPort() > 0 ? ":" + url.getPort() : "");
    }

    private WebhookRow row(ResultSet rs) throws SQLException {
        String name = rs.getString("name");
        String headers = rs.getString("headers_sealed");
        return new WebhookRow(name, URI.create(secrets.decrypt(rs.getString("url_sealed"), context(name))),
                headers == null ? Map.of() : JSON.readValue(secrets.decrypt(headers, context(name)), HEADERS),
                rs.getString("format"), rs.getString("min_tier"), rs.getLong("timeout_ms"), rs.getInt("retries"),
                rs.getBoolean("enabled"), rs.getString("updated_by"), rs.getLong("updated_at"));
    }

    /** Every webhook, by name. */
    public List<WebhookRow> all() {
        return database.call(jdbi -> jdbi.withHandle(h -> h.createQuery("SELECT * FROM alert_webhooks ORDER BY name")
                .map((rs, ctx) -> row(rs)).list()));
    }

    public Optional<WebhookRow> find(String name) {
        return database.call(jdbi -> jdbi.withHandle(h -> h.createQuery("SELECT * FROM alert_webhooks WHERE name = :n")
                .bind("n", name).map((rs, ctx) -> row(rs)).findOne()));
    }

    /** Adds a webhook; {@link Conflict} when the name is taken. */
    public void add(WebhookRow row) {
        database.call(jdbi -> Conflict.guard(() -> jdbi.withHandle(h -> bind(h.createUpdate("INSERT INTO "
                + "alert_webhooks (name, origin, url_sealed, headers_sealed, format, min_tier, timeout_ms, retries, "
                + "enabled, updated_by, updated_at) VALUES (:name, :origin, :url, :headers, :format, :tier, :timeout, "
                + ":retries, :enabled, :by, :at)"), row).execute())));
    }

    /** Replaces a webhook's settings (its name stays); whether it exists. */
    public boolean update(WebhookRow row) {
        return database.call(jdbi -> jdbi.withHandle(h -> bind(h.createUpdate("UPDATE alert_webhooks SET "
                + "origin = :origin, url_sealed = :url, headers_sealed = :headers, format = :format, min_tier = :tier, "
                + "timeout_ms = :timeout, retries = :retries, enabled = :enabled, updated_by = :by, updated_at = :at "
                + "WHERE name = :name"), row).execute())) > 0;
    }

    public boolean delete(String name) {
        return database.call(jdbi -> jdbi.withHandle(h -> h.createUpdate("DELETE FROM alert_webhooks WHERE name = :n")
                .bind("n", name).execute())) > 0;
    }

    private org.jdbi.v3.core.statement.Update bind(org.jdbi.v3.core.statement.Update update, WebhookRow row) {
        String context = context(row.name());
        return update.bind("name", row.name()).bind("origin", origin(row.url()))
                .bind("url", secrets.encrypt(row.url().toString(), context))
                .bind("headers", row.headers().isEmpty() ? null
                        : secrets.encrypt(JSON.writeValueAsString(row.headers()), context))
                .bind("format", row.format()).bind("tier", row.minTier()).bind("timeout", row.timeoutMillis())
                .bind("retries", row.retries()).bind("enabled", row.enabled()).bind("by", row.updatedBy())
                .bind("at", row.updatedMillis());
    }
}
