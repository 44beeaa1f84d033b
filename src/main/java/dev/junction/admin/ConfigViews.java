package dev.junction.admin;

import dev.junction.config.ChannelConfig;
import dev.junction.governance.KeyStore;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import tools.jackson.databind.node.ObjectNode;

/**
 * The JSON of gateway keys and channels, in the admin API and in config versions. Neither holds a
 * secret: a gateway key shows its first and last characters, a provider key its last four.
 */
final class ConfigViews {

    private ConfigViews() {
    }

    /** A gateway key as the admin API shows it. */
    static ObjectNode key(KeyStore.StoredKey key, long nowMillis) {
        ObjectNode node = Json.object();
        node.put("id", key.id());
        node.put("source", key.source());
        node.put("read_only", key.fromFile());
        node.put("name", key.name());
        node.put("prefix", key.prefix().orElse(null));
        node.put("hint", key.hint());
        node.put("display", key.prefix().orElse("") + key.hint());
        node.set("models", strings(key.models()));
        putId(node, "user_id", key.userId());
        putId(node, "team_id", key.teamId());
        Json.putTime(node, "expires_at", key.expiresAt());
        node.put("expired", key.expiresAt().isPresent() && key.expiresAt().getAsLong() <= nowMillis);
        node.set("allowed_ips", strings(key.allowedIps()));
        node.put("created_at", Json.time(key.createdMillis()));
        node.put("updated_at", Json.time(key.updatedMillis()));
        Json.putTime(node, "revoked_at", key.revokedMillis());
        return node;
    }

    /** A gateway key in a config version: what routes and admits, plus a fingerprint of its hash. */
    static ObjectNode keyVersion(KeyStore.StoredKey key) {
        ObjectNode node = Json.object();
        node.put("source", key.source());
        node.put("name", key.name());
        node.put("secret", key.prefix().orElse("") + key.hint() + " #" + key.fingerprint());
        node.set("models", strings(key.models()));
        putId(node, "user_id", key.userId());
        putId(node, "team_id", key.teamId());
        Json.putTime(node, "expires_at", key.expiresAt());
        node.set("allowed_ips", strings(key.allowedIps()));
        return node;
    }

    /** A channel's settings, its provider keys masked ({@code …abcd}). */
    static ObjectNode channel(ChannelConfig config) {
        ObjectNode node = Json.object();
        node.put("name", config.name());
        node.put("type", config.type().configName());
        node.put("base_url", config.baseUrl().toString());
        ObjectNode models = node.putObject("models");
        config.models().forEach(models::put);
        node.put("models_auto", config.listModels());
        node.put("priority", config.priority());
        node.put("weight", config.weight());
        node.put("retries", config.retries());
        node.put("key_selection", config.keySelection().name().toLowerCase(Locale.ROOT));
        var keys = node.putArray("api_keys");
        config.apiKeys().forEach(k -> keys.add(mask(k)));
        node.put("responses", config.responses());
        ObjectNode timeouts = node.putObject("timeout");
        timeouts.put("connect", config.timeouts().connect().toString());
        timeouts.put("first_byte", config.timeouts().firstByte().toString());
        timeouts.put("idle", config.timeouts().idle().toString());
        timeouts.put("total", config.timeouts().total().toString());
        node.put("health_check", config.healthCheck().map(Object::toString).orElse(null));
        node.put("quirks", config.quirks().toString());
        if (!config.prices().isEmpty()) {
            // USD per 1M tokens per upstream model: a price change is a routing-config version too,
            // so the baselines see cost move with it (only when set, so older documents still match).
            ObjectNode prices = node.putObject("prices");
            config.prices().byModel().forEach((model, fields) -> {
                ObjectNode row = prices.putObject(model);
                fields.forEach((field, micros) -> row.put(field, java.math.BigDecimal.valueOf(micros, 6)
                        .stripTrailingZeros().toPlainString()));
            });
        }
        return node;
    }

    /**
     * One public model's routing rules, in the fields of a {@code routing:} entry (durations as the
     * file writes them, e.g. {@code 3600s}).
     */
    static ObjectNode routing(dev.junction.config.RoutingConfig.ModelRouting rules) {
        ObjectNode node = Json.object();
        node.put("strategy", rules.strategy().configName());
        node.set("fallbacks", strings(rules.fallbacks()));
        node.put("affinity", rules.affinity());
        node.put("affinity_ttl", rules.affinityTtl().toSeconds() + "s");
        rules.complexity().ifPresent(c -> {
            ObjectNode complexity = node.putObject("complexity");
            complexity.put("simple", c.simple());
            complexity.put("hard", c.hard());
            complexity.put("threshold", c.threshold());
            complexity.put("long_prompt", c.longPrompt());
            complexity.put("deep_conversation", c.deepConversation());
        });
        return node;
    }

    /** What may be shown of a provider key: its last four characters. */
    static String mask(String secret) {
        return secret.length() <= 8 ? "…" : "…" + secret.substring(secret.length() - 4);
    }

    static tools.jackson.databind.node.ArrayNode strings(List<String> values) {
        var array = Json.array();
        values.forEach(array::add);
        return array;
    }

    private static void putId(ObjectNode node, String field, OptionalLong id) {
        if (id.isPresent()) {
            node.put(field, id.getAsLong());
        } else {
            node.putNull(field);
        }
    }
}
