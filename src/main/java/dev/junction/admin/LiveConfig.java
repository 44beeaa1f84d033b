package dev.junction.admin;

import dev.junction.config.ChannelBinder;
import dev.junction.config.ChannelConfig;
import dev.junction.config.ChannelPresets;
import dev.junction.config.ConfigException;
import dev.junction.config.GatewayConfig;
import dev.junction.config.JsonTree;
import dev.junction.config.Result;
import dev.junction.config.RoutingBinder;
import dev.junction.config.RoutingConfig;
import dev.junction.config.RuntimeSettings;
import dev.junction.config.SettingsBinder;
import dev.junction.core.Clock;
import dev.junction.governance.DeclaredKey;
import dev.junction.governance.KeyRing;
import dev.junction.governance.KeyStore;
import dev.junction.routing.DeclaredChannel;
import dev.junction.routing.Router;
import dev.junction.routing.RoutingSnapshot;
import dev.junction.store.ChannelStore;
import dev.junction.store.ConfigVersions;
import dev.junction.store.RoutingRuleStore;
import dev.junction.store.SettingsStore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongConsumer;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The routing config while the gateway runs: the config file's keys, channels and routing rules plus
 * those of the admin API (in the database), as the two things requests read: the {@link KeyRing} (in memory,
 * hash → key, replaced whole on every change) and the {@link Router}'s snapshot. Every change, from
 * the API or a reload of the file, goes through here: it rebuilds both, swaps them in atomically
 * (a request in flight keeps what it started with), and records a routing-config version (number,
 * time, who, diff without secrets) whose number the new snapshot carries.
 */
public final class LiveConfig {

    private static final Logger LOG = LoggerFactory.getLogger(LiveConfig.class);
    /** Who the file's changes are by, in versions and the audit log. */
    public static final String FILE_ACTOR = "config file";

    /** Reads the config file again; throws {@link ConfigException} when it is invalid. */
    @FunctionalInterface
    public interface Source {
        GatewayConfig load();
    }

    /**
     * How a reload went.
     *
     * @param ok whether the file was valid and is now running
     * @param problems the file's line-numbered problems when it was not
     * @param version the routing-config version running now
     * @param restartNeeded sections that changed but take effect only on a restart
     */
    public record Reload(boolean ok, List<String> problems, long version, List<String> restartNeeded) {

        public Reload {
            problems = List.copyOf(problems);
            restartNeeded = List.copyOf(restartNeeded);
        }
    }

    /**
     * A channel of the admin API as bound from its row: its config (with provider keys) or the
     * problems that keep it from binding (a preset that is gone, for example).
     */
    record AdminChannel(ChannelStore.StoredChannel row, Result<ChannelConfig> config) {
    }

    private final KeyStore keys;
    private final ChannelStore channels;
    private final ConfigVersions versions;
    private final RoutingRuleStore rules;
    private final SettingsStore settingsStore;
    private final Router router;
    private final ChannelPresets presets;
    private final UnaryOperator<List<ChannelConfig>> resolve;
    private final Optional<Source> source;
    private final Clock clock;
    private final AtomicReference<KeyRing> ring = new AtomicReference<>();
    /** The runtime settings in force: the file's, the admin API's for the others, defaults for the rest. */
    private volatile RuntimeSettings settings = RuntimeSettings.DEFAULT;
    /** Told of each routing-config version this instance makes (to announce it to the others). */
    private final List<LongConsumer> changeListeners = new CopyOnWriteArrayList<>();
    /** Run before each new key ring is used (the limits and budgets, and the usage writer, read keys again). */
    private final List<Runnable> keyListeners = new CopyOnWriteArrayList<>();
    /** The config file's channels as running, with their ids; guarded by this. */
    private List<DeclaredChannel> fileChannels = List.of();
    /** Written under this lock; read without it (the limits' book reads it while this lock is held). */
    private volatile GatewayConfig running;
    /** Admin channels resolved ({@code models: auto}) at their last update: id → (updated, config). */
    private final Map<Long, Map.Entry<Long, ChannelConfig>> resolved = new HashMap<>();

    private LiveConfig(KeyStore keys, ChannelStore channels, ConfigVersions versions, RoutingRuleStore rules,
            SettingsStore settingsStore, Router router, ChannelPresets presets,
            UnaryOperator<List<ChannelConfig>> resolve, Optional<Source> source, Clock clock) {
        this.keys = keys;
        this.channels = channels;
        this.versions = versions;
        this.rules = rules;
        this.settingsStore = settingsStore;
        this.router = router;
        this.presets = presets;
        this.resolve = resolve;
        this.source = source;
        this.clock = clock;
    }

    /**
     * Records {@code config}'s keys and channels, builds the key ring and the router's snapshot from
     * them and the admin API's entries, and records a version when the routing config differs from
     * the last one recorded (the first start, or a start with an edited file).
     *
     * @param source reads the file again for {@link #reload}; empty when there is no file
     * @param resolve fills in the models of {@code models: auto} channels (asks their upstreams)
     */
    public static LiveConfig start(GatewayConfig config, Optional<Source> source, KeyStore keys,
            ChannelStore channels, ConfigVersions versions, RoutingRuleStore rules, SettingsStore settings,
            Router router, ChannelPresets presets, UnaryOperator<List<ChannelConfig>> resolve, Clock clock) {
        LiveConfig live = new LiveConfig(Objects.requireNonNull(keys, "keys"), Objects.requireNonNull(channels,
                "channels"), Objects.requireNonNull(versions, "versions"), Objects.requireNonNull(rules, "rules"),
                Objects.requireNonNull(settings, "settings"), Objects.requireNonNull(router, "router"),
                Objects.requireNonNull(presets, "presets"), Objects.requireNonNull(resolve, "resolve"),
                Objects.requireNonNull(source, "source"), Objects.requireNonNull(clock, "clock"));
        synchronized (live) {
            live.adopt(config);
            live.apply(FILE_ACTOR, "start");
        }
        return live;
    }

    /** The gateway keys now: the request path's lookup, in memory. */
    public KeyRing keys() {
        return ring.get();
    }

    /** The config file as running now (the last valid one read). */
    public GatewayConfig config() {
        return running;
    }

    /** The routing-config version new requests route under. */
    public long version() {
        return router.current().configVersion();
    }

    public Router router() {
        return router;
    }

    ChannelStore channelStore() {
        return channels;
    }

    KeyStore keyStore() {
        return keys;
    }

    ConfigVersions versions() {
        return versions;
    }

    RoutingRuleStore ruleStore() {
        return rules;
    }

    SettingsStore settingsStore() {
        return settingsStore;
    }

    /**
     * The runtime settings in force now ({@code failover:}, {@code usage:}): those the config file
     * gives, those set in the admin API for the others, the defaults for the rest. A request reads
     * them when it starts and keeps them to its end.
     */
    public RuntimeSettings settings() {
        return settings;
    }

    /** The settings set in the admin API, by dotted name (the file's own among them are not used). */
    Map<String, SettingsStore.StoredSetting> storedSettings() {
        Map<String, SettingsStore.StoredSetting> stored = new java.util.LinkedHashMap<>();
        settingsStore.list().forEach(row -> stored.put(row.name(), row));
        return stored;
    }

    /**
     * The runtime settings with {@code overrides} (dotted name → JSON value) for those the config
     * file does not give, bound by the file's binders: its problems name each field as a JSON
     * pointer ({@code /failover/max_attempts}).
     */
    synchronized Result<RuntimeSettings> settingsWith(Map<String, JsonNode> overrides) {
        ObjectNode tree = Json.object();
        overrides.forEach((name, value) -> {
            if (!running.fileSettings().contains(name)) {
                put(tree, name, value);
            }
        });
        Map<String, Object> file = SettingsBinder.values(RuntimeSettings.of(running));
        for (String name : running.fileSettings()) {
            if (file.containsKey(name)) {
                put(tree, name, Json.MAPPER.valueToTree(file.get(name)));
            }
        }
        return SettingsBinder.bind(JsonTree.of(tree));
    }

    /** Sets {@code value} at the dotted {@code name} of {@code tree}, making the mappings on the way. */
    private static void put(ObjectNode tree, String name, JsonNode value) {
        String[] parts = name.split("\\.");
        ObjectNode at = tree;
        for (int i = 0; i < parts.length - 1; i++) {
            at = at.get(parts[i]) instanceof ObjectNode object ? object : at.putObject(parts[i]);
        }
        at.set(parts[parts.length - 1], value);
    }

    /** The settings of the store over the running file's; the file's alone when the store's no longer fit. */
    private RuntimeSettings currentSettings() {
        Map<String, JsonNode> overrides = new java.util.LinkedHashMap<>();
        storedSettings().forEach((name, row) -> overrides.put(name, Json.parse(row.value())));
        Result<RuntimeSettings> bound = settingsWith(overrides);
        if (bound.isOk()) {
            return bound.value().orElseThrow();
        }
        LOG.warn("the settings set in the admin API do not fit the config file ({}); the file's settings and the"
                + " defaults run until they are changed", bound.problems().stream()
                .map(p -> p.path().pointer() + ": " + p.message()).toList());
        return RuntimeSettings.of(running);
    }

    /**
     * One public model's routing rules of the admin API as bound from its row (as the file's
     * {@code routing:} entries are), or the problems that keep it from binding.
     */
    record AdminRule(RoutingRuleStore.StoredRule row, Result<RoutingConfig.ModelRouting> rules) {
    }

    /** The admin API's routing rules, each bound. */
    List<AdminRule> adminRules() {
        List<AdminRule> list = new ArrayList<>();
        for (RoutingRuleStore.StoredRule row : rules.list()) {
            list.add(new AdminRule(row, RoutingBinder.bindModel(row.model(),
                    JsonTree.of((ObjectNode) Json.parse(row.settings())))));
        }
        return list;
    }

    /** The routing rules in force: the file's {@code routing:} entries, and the admin API's for other models. */
    private RoutingConfig routing(List<AdminRule> admin) {
        Map<String, RoutingConfig.ModelRouting> merged = new java.util.LinkedHashMap<>(running.routing().models());
        for (AdminRule rule : admin) {
            if (!merged.containsKey(rule.row().model()) && rule.rules().isOk()) {
                merged.put(rule.row().model(), rule.rules().value().orElseThrow());
            }
        }
        return new RoutingConfig(merged);
    }

    ChannelPresets presets() {
        return presets;
    }

    /** The config file's channels as running, with their ids. */
    synchronized List<DeclaredChannel> fileChannels() {
        return fileChannels;
    }

    /**
     * After the admin API changed keys or channels in the database: rebuilds the key ring and the
     * snapshot, swaps them in and records a version by {@code actor}. Returns the version now.
     */
    public synchronized long changed(String actor) {
        return apply(actor, "api");
    }

    /**
     * Reads the config file again. An invalid file is refused with its line-numbered problems
     * (logged too) and the running config stays; a valid one replaces the file's keys and
     * channels at once, with a version by {@code actor}.
     */
    public synchronized Reload reload(String actor) {
        if (source.isEmpty()) {
            return new Reload(false, List.of("the gateway was started without a config file; there is nothing to reload"),
                    version(), List.of());
        }
        GatewayConfig next;
        try {
            next = source.get().load();
        } catch (ConfigException e) {
            LOG.warn("reload ({}) refused: the config file has {} problem(s); the running config stays", actor,
                    e.problems().size());
            e.problems().forEach(problem -> LOG.warn("  {}", problem));
            return new Reload(false, e.problems(), version(), List.of());
        }
        List<String> restart = restartNeeded(running, next);
        try {
            adopt(next);
        } catch (RuntimeException e) {
            LOG.warn("reload ({}) refused: {}", actor, e.toString());
            return new Reload(false, List.of("the file's entries could not be recorded: " + e.getMessage()), version(),
                    List.of());
        }
        long version = apply(actor, "reload");
        LOG.info("config reloaded ({}): routing-config version {}, {} channels, {} keys{}", actor, version,
                router.current().channels().size(), keys().size(),
                restart.isEmpty() ? "" : "; takes effect only on a restart: " + String.join(", ", restart));
        return new Reload(true, List.of(), version, restart);
    }

    /**
     * Replaces the file's channels with {@code configs} (already read and checked), as a reload
     * does, without touching keys. For tools and tests that have configs, not a file.
     */
    public synchronized RoutingSnapshot replaceFileChannels(List<ChannelConfig> configs, String actor) {
        fileChannels = declare(resolve.apply(configs));
        apply(actor, "reload");
        return router.current();
    }

    private static List<String> restartNeeded(GatewayConfig before, GatewayConfig after) {
        List<String> sections = new ArrayList<>();
        if (!before.database().equals(after.database())) {
            sections.add("database");
        }
        if (!before.redis().equals(after.redis())) {
            sections.add("redis");
        }
        if (before.maxBodyBytes() != after.maxBodyBytes()) {
            sections.add("max_body_size");
        }
        if (!before.server().equals(after.server())) {
            sections.add("server");
        }
        if (!before.admin().equals(after.admin())) {
            sections.add("admin");
        }
        if (!before.metrics().equals(after.metrics())) {
            sections.add("metrics");
        }
        return sections;
    }

    /** Records the file's keys and channels as the running ones (not yet swapped in). */
    private void adopt(GatewayConfig config) {
        keys.syncFromFile(config.keys().stream().map(k -> new DeclaredKey(k.name(), k.key(), k.models(),
                k.team())).toList(),
                clock.now().toEpochMilli());
        fileChannels = declare(resolve.apply(config.channels()));
        running = config;
    }

    private List<DeclaredChannel> declare(List<ChannelConfig> configs) {
        Map<String, Long> ids = channels.syncFromFile(configs.stream().map(c -> new ChannelStore.FileChannel(c.name(),
                c.type().configName(), c.baseUrl().toString())).toList(), clock.now().toEpochMilli());
        return configs.stream().map(c -> new DeclaredChannel(ids.get(c.name()), c)).toList();
    }

    /**
     * Calls {@code listener} with the new version whenever a change made on this instance (the
     * admin API, a reload) moves the routing config to a new version; not for {@link #catchUp}.
     */
    public void onChange(LongConsumer listener) {
        changeListeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /**
     * Runs {@code listener} each time keys may have changed (a change made here, a reload, another
     * instance's change caught up), after the database has them and before the new keys are served:
     * what keeps its own copy of keys (the limits and budgets, the usage writer's owners) reads them
     * first, so that no key is served for a moment without its owner's and its team's limits.
     */
    public void beforeKeysChange(Runnable listener) {
        keyListeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /**
     * Another instance changed keys or channels in the database (it announced a new version, or
     * the stored version moved on): rebuilds the key ring and the snapshot from the database, as
     * that instance did. Returns the version now; makes no announcement.
     */
    public synchronized long catchUp() {
        return apply("another instance", "sync", false);
    }

    /** Rebuilds the ring and the snapshot from the database and the file, records a version, swaps. */
    private long apply(String actor, String kind) {
        return apply(actor, kind, true);
    }

    private long apply(String actor, String kind, boolean announce) {
        long before = router.current() == null ? -1 : router.current().configVersion();
        KeyRing nextRing = keys.ring();
        List<KeyStore.StoredKey> liveKeys = keys.list().stream().filter(k -> !k.revoked()).toList();
        List<AdminChannel> admin = adminChannels();
        List<DeclaredChannel> routed = new ArrayList<>(fileChannels);
        ObjectNode document = ConfigDocument.empty();
        ObjectNode keyDoc = (ObjectNode) document.get("keys");
        for (KeyStore.StoredKey key : liveKeys) {
            ObjectNode view = ConfigViews.keyVersion(key);
            if (!nextRing.serves(key.id())) {
                // a user disabled or deleted is a change of their keys, which the other instances hear of
                view.put("owner_enabled", false);
            }
            keyDoc.set(Long.toString(key.id()), view);
        }
        ObjectNode channelDoc = (ObjectNode) document.get("channels");
        for (DeclaredChannel channel : fileChannels) {
            ObjectNode view = ConfigViews.channel(channel.config());
            view.put("source", ChannelStore.FILE);
            channelDoc.set(Long.toString(channel.id()), view);
        }
        for (AdminChannel channel : admin) {
            ObjectNode view;
            if (channel.config().isOk()) {
                ChannelConfig config = resolved(channel.row(), channel.config().value().orElseThrow());
                view = ConfigViews.channel(config);
                if (channel.row().enabled()) {
                    routed.add(new DeclaredChannel(channel.row().id(), config));
                }
            } else {
                view = Json.object();
                view.put("name", channel.row().name());
                view.put("invalid", channel.config().problems().toString());
            }
            view.put("source", ChannelStore.ADMIN);
            view.put("enabled", channel.row().enabled());
            channelDoc.set(Long.toString(channel.row().id()), view);
        }
        List<AdminRule> adminRules = adminRules();
        RoutingConfig routing = routing(adminRules);
        ObjectNode routingDoc = (ObjectNode) document.get("routing");
        running.routing().models().forEach((model, rules) ->
                routingDoc.set(model, ConfigViews.routing(rules).put("source", ChannelStore.FILE)));
        for (AdminRule rule : adminRules) {
            if (routingDoc.has(rule.row().model())) {
                continue;
            }
            ObjectNode view = rule.rules().isOk() ? ConfigViews.routing(rule.rules().value().orElseThrow())
                    : Json.object().put("invalid", rule.rules().problems().toString());
            routingDoc.set(rule.row().model(), view.put("source", ChannelStore.ADMIN));
        }
        RuntimeSettings nextSettings = currentSettings();
        ObjectNode settingsDoc = (ObjectNode) document.get("settings");
        SettingsBinder.values(nextSettings).forEach((name, value) -> {
            String section = name.substring(0, name.indexOf('.'));
            ObjectNode sectionDoc = settingsDoc.has(section) ? (ObjectNode) settingsDoc.get(section)
                    : settingsDoc.putObject(section);
            sectionDoc.set(name.substring(section.length() + 1), Json.MAPPER.valueToTree(value));
        });
        long version = versions.record(clock.now().toEpochMilli(), actor, kind, Json.text(document),
                ConfigDocument::diff);
        for (Runnable listener : keyListeners) {
            try {
                listener.run();
            } catch (RuntimeException e) {
                LOG.warn("a reader of the changed keys failed (it catches up at its next reload): {}", e.toString());
            }
        }
        ring.set(nextRing);
        settings = nextSettings;
        router.swap(routed, nextSettings.failover(), version, routing, router.facts());
        if (announce && version != before) {
            changeListeners.forEach(listener -> listener.accept(version));
        }
        return version;
    }

    /** The admin API's live channels, each bound from its settings and provider keys. */
    List<AdminChannel> adminChannels() {
        List<AdminChannel> list = new ArrayList<>();
        for (ChannelStore.StoredChannel row : channels.live()) {
            if (!row.fromFile()) {
                list.add(new AdminChannel(row, bind(row)));
            }
        }
        return list;
    }

    /** One admin channel, bound as the file's channels are. */
    Result<ChannelConfig> bind(ChannelStore.StoredChannel row) {
        ObjectNode settings = (ObjectNode) Json.parse(row.settings().orElse("{}"));
        List<String> apiKeys = channels.apiKeys(row.id());
        if (!apiKeys.isEmpty()) {
            settings.set("api_keys", ConfigViews.strings(apiKeys));
        }
        return ChannelBinder.bind(JsonTree.of(settings), presets);
    }

    /** The config with {@code models: auto} filled in, asked of the upstream once per update of the row. */
    private ChannelConfig resolved(ChannelStore.StoredChannel row, ChannelConfig config) {
        if (!config.listModels()) {
            return config;
        }
        Map.Entry<Long, ChannelConfig> cached = resolved.get(row.id());
        if (cached != null && cached.getKey() == row.updatedMillis()) {
            return cached.getValue();
        }
        ChannelConfig filled = resolve.apply(List.of(config)).getFirst();
        resolved.put(row.id(), Map.entry(row.updatedMillis(), filled));
        return filled;
    }
}
