package dev.junction.admin;

import dev.junction.config.ChannelBinder;
import dev.junction.config.ChannelConfig;
import dev.junction.config.JsonTree;
import dev.junction.config.Result;
import dev.junction.core.Clock;
import dev.junction.governance.Action;
import dev.junction.governance.Target;
import dev.junction.relay.ChannelTest;
import dev.junction.routing.ChannelLive;
import dev.junction.routing.DeclaredChannel;
import dev.junction.store.ChannelStore;
import dev.junction.store.Conflict;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code /api/channels}: the upstream channels. A channel of the admin API takes the same fields,
 * checked by the same binder with the same messages, as a {@code channels:} item of the config
 * file; problems name the field as a JSON pointer. Provider keys are sealed at rest and shown only
 * as their last four characters. Channels of the config file are listed read-only. Every change
 * swaps the routing snapshot at once: requests in flight finish on the one they started with.
 * Only owners and admins change channels; viewers read them; members see none.
 */
final class ChannelApi {

    /** Runs the dashboard's "Test": one real request for one token. */
    @FunctionalInterface
    interface Tester {
        ChannelTest.Result test(ChannelConfig config, String upstreamModel);
    }

    private static final Target CHANNELS = new Target.Whole(Target.Area.CHANNELS);

    private final LiveConfig live;
    private final ChannelStore channels;
    private final Tester tester;
    private final Auditor audit;
    private final Clock clock;
    private final BaseUrlGuard baseUrls;

    ChannelApi(LiveConfig live, Tester tester, Auditor audit, Clock clock, BaseUrlGuard baseUrls) {
        this.baseUrls = baseUrls;
        this.live = live;
        this.channels = live.channelStore();
        this.tester = tester;
        this.audit = audit;
        this.clock = clock;
    }

    List<Route> routes() {
        return List.of(
                Route.of("GET", "/api/channels", this::list),
                Route.of("POST", "/api/channels", this::create),
                Route.of("GET", "/api/channels/{id}", this::read),
                Route.of("PATCH", "/api/channels/{id}", this::update),
                Route.of("DELETE", "/api/channels/{id}", this::delete),
                Route.of("POST", "/api/channels/{id}/test", this::test));
    }

    private long now() {
        return clock.now().toEpochMilli();
    }

    /** A live channel with what it binds to. */
    private record Entry(ChannelStore.StoredChannel row, Result<ChannelConfig> config) {
    }

    private Optional<Entry> entry(ChannelStore.StoredChannel row) {
        if (row.removedMillis().isPresent()) {
            return Optional.empty();
        }
        if (row.fromFile()) {
            return live.fileChannels().stream().filter(c -> c.id() == row.id()).findFirst()
                    .map(c -> new Entry(row, Result.ok(c.config())));
        }
        return Optional.of(new Entry(row, live.bind(row)));
    }

    private List<Entry> entries() {
        List<Entry> list = new ArrayList<>();
        for (ChannelStore.StoredChannel row : channels.live()) {
            entry(row).ifPresent(list::add);
        }
        return list;
    }

    private static ObjectNode view(Entry entry) {
        ObjectNode node;
        if (entry.config().isOk()) {
            node = ConfigViews.channel(entry.config().value().orElseThrow());
        } else {
            node = Json.object();
            node.put("name", entry.row().name());
            node.put("type", entry.row().type());
            node.put("base_url", entry.row().baseUrl());
            var problems = node.putArray("problems");
            entry.config().problems().forEach(p -> problems.add(p.path().pointer() + ": " + p.message()));
        }
        ObjectNode out = Json.object();
        out.put("id", entry.row().id());
        out.put("source", entry.row().source());
        out.put("read_only", entry.row().fromFile());
        out.put("enabled", entry.row().enabled());
        out.setAll(node);
        out.put("created_at", Json.time(entry.row().createdMillis()));
        out.put("updated_at", Json.time(entry.row().updatedMillis()));
        return out;
    }

    /**
     * Adds what routing knows of the channel now ({@link ChannelLive}): its state (healthy, unhealthy,
     * keys_disabled, cooling, breaker, limit) and until when, each key's state by its last four
     * characters, each limit's use and the quota left. Absent for a channel routing does not use
     * (disabled, invalid). Never part of an audit entry.
     */
    private ObjectNode withLive(ObjectNode view, long id) {
        var snapshot = live.router().current();
        var state = snapshot == null ? java.util.Optional.<ChannelLive>empty() : snapshot.live(id);
        if (state.isEmpty()) {
            view.putNull("live");
            return view;
        }
        ChannelLive c = state.get();
        ObjectNode node = view.putObject("live");
        node.put("state", c.state());
        node.put("until", c.until() == null ? null : c.until().toString());
        node.put("detail", c.detail());
        var keys = node.putArray("keys");
        for (ChannelLive.KeyLive k : c.keys()) {
            ObjectNode key = keys.addObject();
            key.put("key", k.suffix().isEmpty() ? null : k.suffix());
            key.put("state", k.state());
            key.put("until", k.until() == null ? null : k.until().toString());
            key.put("reason", k.reason());
        }
        var limits = node.putArray("limits");
        for (ChannelLive.LimitUse u : c.limits()) {
            ObjectNode limit = limits.addObject();
            limit.put("limit", u.limit());
            limit.put("used", u.used());
            limit.put("max", u.max());
        }
        node.put("quota_remaining", Math.round(c.quotaRemaining() * 1000) / 1000.0);
        node.put("in_flight", c.inFlight());
        return view;
    }

    private Reply list(Call call) {
        call.require(Action.READ, CHANNELS);
        var array = Json.array();
        entries().forEach(e -> array.add(withLive(view(e), e.row().id())));
        ObjectNode node = Json.object();
        node.set("data", array);
        node.put("config_version", live.version());
        return Reply.ok(node);
    }

    private Entry existing(Call call) {
        return channels.find(call.id("id")).flatMap(this::entry)
                .orElseThrow(() -> ApiException.notFound("There is no such channel."));
    }

    private Reply read(Call call) {
        call.require(Action.READ, CHANNELS);
        Entry entry = existing(call);
        return Reply.ok(withLive(view(entry), entry.row().id()));
    }

    private Entry writable(Call call, Action action) {
        call.require(action, CHANNELS);
        Entry entry = existing(call);
        if (entry.row().fromFile()) {
            throw ApiException.conflict("read_only", "The channel '" + entry.row().name() + "' is declared in the"
                    + " config file; change it there and reload.", null);
        }
        return entry;
    }

    private Reply create(Call call) {
        call.require(Action.CREATE, CHANNELS);
        ObjectNode body = call.object();
        Optional<Boolean> enabled = takeEnabled(body);
        ChannelConfig config = bind(body);
        requireFreeName(config.name(), 0);
        ChannelStore.StoredChannel row;
        try {
            row = channels.create(settings(config, body), config.apiKeys(), now());
            if (enabled.isPresent() && !enabled.get()) {
                channels.enable(row.id(), false, now());
            }
        } catch (Conflict e) {
            throw nameTaken(config.name());
        }
        long version = live.changed(call.caller().display());
        ObjectNode view = view(entry(channels.find(row.id()).orElseThrow()).orElseThrow());
        audit.record(call, "channel.create", "channel:" + row.id(), null, view);
        return Reply.created(view.deepCopy().put("config_version", version));
    }

    private Reply update(Call call) {
        Entry entry = writable(call, Action.UPDATE);
        ObjectNode body = call.object();
        Optional<Boolean> enabled = takeEnabled(body);
        ObjectNode merged = (ObjectNode) Json.parse(entry.row().settings().orElse("{}"));
        boolean newKeys = body.has("api_key") || body.has("api_keys");
        if (newKeys) {
            merged.remove("api_key");
            merged.remove("api_keys");
        }
        for (var field : body.properties()) {
            if (field.getValue().isNull()) {
                merged.remove(field.getKey());
            } else {
                merged.set(field.getKey(), field.getValue());
            }
        }
        if (!newKeys) {
            List<String> stored = channels.apiKeys(entry.row().id());
            if (!stored.isEmpty()) {
                merged.set("api_keys", ConfigViews.strings(stored));
            }
        }
        ChannelConfig config = bind(merged);
        requireFreeName(config.name(), entry.row().id());
        try {
            if (!body.isEmpty() || enabled.isEmpty()) {
                channels.update(entry.row().id(), settings(config, merged),
                        newKeys ? Optional.of(config.apiKeys()) : Optional.empty(), now());
            }
            enabled.ifPresent(on -> channels.enable(entry.row().id(), on, now()));
        } catch (Conflict e) {
            throw nameTaken(config.name());
        }
        long version = live.changed(call.caller().display());
        ObjectNode after = view(entry(channels.find(entry.row().id()).orElseThrow()).orElseThrow());
        audit.record(call, "channel.update", "channel:" + entry.row().id(), view(entry), after);
        return Reply.ok(after.deepCopy().put("config_version", version));
    }

    private Reply delete(Call call) {
        Entry entry = writable(call, Action.DELETE);
        channels.remove(entry.row().id(), now());
        live.changed(call.caller().display());
        audit.record(call, "channel.delete", "channel:" + entry.row().id(), view(entry), null);
        return Reply.noContent();
    }

    private Reply test(Call call) {
        call.require(Action.UPDATE, CHANNELS);
        Entry entry = existing(call);
        Body body = call.body(Set.of("model"));
        if (!entry.config().isOk()) {
            throw ApiException.badRequest("invalid_channel", "The channel's settings do not bind: "
                    + entry.config().problems().getFirst());
        }
        ChannelConfig bound = entry.config().value().orElseThrow();
        // models: auto is filled in on the running snapshot (a disabled channel is not on it)
        ChannelConfig config = entry.row().fromFile() ? bound
                : live.router().current().channel(entry.row().id()).map(c -> c.config()).orElse(bound);
        String model = body.text("model").map(String::strip)
                .or(() -> config.models().keySet().stream().findFirst())
                .orElseThrow(() -> ApiException.invalid("model", "is required: the channel lists no model"));
        String upstream = config.models().getOrDefault(model, model);
        ChannelTest.Result result = tester.test(config, upstream);
        ObjectNode node = Json.object();
        node.put("ok", result.ok());
        node.put("status", result.status());
        node.put("latency_ms", result.latencyMillis());
        node.put("model", model);
        node.put("upstream_model", upstream);
        node.put("answer", result.answer().orElse(null));
        node.put("error", result.error().orElse(null));
        audit.record(call, "channel.test", "channel:" + entry.row().id(), null, node);
        return Reply.ok(node);
    }

    /** Takes {@code enabled} out of a body: it is the row's switch, not a channel setting. */
    private static Optional<Boolean> takeEnabled(ObjectNode body) {
        JsonNode value = body.remove("enabled");
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isBoolean()) {
            throw ApiException.invalid("enabled", "must be true or false");
        }
        return Optional.of(value.booleanValue());
    }

    /**
     * Binds a channel body as the config file's channels are bound; 400 listing every problem, or
     * naming the base URL when it points where a channel made here may not (see {@link BaseUrlGuard}).
     */
    private ChannelConfig bind(ObjectNode body) {
        Result<ChannelConfig> result = ChannelBinder.bind(JsonTree.of(body), live.presets());
        ChannelConfig config = result.value().orElseThrow(() -> ApiException.invalidConfig("invalid_field",
                result.problems(), false, null));
        baseUrls.problem(config.baseUrl()).ifPresent(problem -> {
            throw ApiException.invalid("base_url", problem);
        });
        return config;
    }

    /** What is stored of a body: all but the provider keys, which are sealed apart. */
    private static ChannelStore.ChannelSettings settings(ChannelConfig config, ObjectNode body) {
        ObjectNode settings = body.deepCopy();
        settings.remove("api_key");
        settings.remove("api_keys");
        return new ChannelStore.ChannelSettings(config.name(), config.type().configName(), config.baseUrl().toString(),
                Json.text(settings));
    }

    /** 409 when a live channel other than {@code self} has the name: routing, logs and metrics show names. */
    private void requireFreeName(String name, long self) {
        Set<String> taken = new HashSet<>();
        for (DeclaredChannel channel : live.fileChannels()) {
            taken.add(channel.config().name());
        }
        for (ChannelStore.StoredChannel row : channels.live()) {
            if (row.id() != self && !row.fromFile()) {
                taken.add(row.name());
            }
        }
        if (taken.contains(name)) {
            throw nameTaken(name);
        }
    }

    private static ApiException nameTaken(String name) {
        return ApiException.conflict("name_taken", "A channel named '" + name + "' exists.", "name");
    }
}
