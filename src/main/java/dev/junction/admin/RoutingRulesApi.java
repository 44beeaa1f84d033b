package dev.junction.admin;

import dev.junction.config.JsonTree;
import dev.junction.config.Result;
import dev.junction.config.RoutingBinder;
import dev.junction.config.RoutingConfig;
import dev.junction.core.Clock;
import dev.junction.governance.Action;
import dev.junction.governance.Target;
import dev.junction.store.ChannelStore;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code /api/routing/rules}: per public model, its routing rules (the fields of a {@code routing:}
 * entry: {@code strategy}, {@code fallbacks}, {@code affinity}, {@code affinity_ttl},
 * {@code complexity}), checked by the config file's binder with its messages, each problem naming
 * the field as a JSON pointer. The file's entries are listed read-only; a rule set here is stored in
 * the database and, like every change, swaps the routing snapshot at once, records a routing-config
 * version (other instances reload on its announcement) and an audit entry. Owners and admins change
 * rules; viewers read them; members see none.
 */
final class RoutingRulesApi {

    private static final Target CHANNELS = new Target.Whole(Target.Area.CHANNELS);

    private final LiveConfig live;
    private final Auditor audit;
    private final Clock clock;

    RoutingRulesApi(LiveConfig live, Auditor audit, Clock clock) {
        this.live = live;
        this.audit = audit;
        this.clock = clock;
    }

    List<Route> routes() {
        return List.of(
                Route.of("GET", "/api/routing/rules", this::list),
                Route.of("GET", "/api/routing/rules/{model}", this::read),
                Route.of("PUT", "/api/routing/rules/{model}", this::put),
                Route.of("DELETE", "/api/routing/rules/{model}", this::delete));
    }

    private Reply list(Call call) {
        call.require(Action.READ, CHANNELS);
        var array = Json.array();
        Set<String> fileModels = live.config().routing().models().keySet();
        live.config().routing().models().forEach((model, rules) -> array.add(fileView(model, rules)));
        for (LiveConfig.AdminRule rule : live.adminRules()) {
            array.add(adminView(rule, fileModels.contains(rule.row().model())));
        }
        ObjectNode node = Json.object();
        node.set("data", array);
        node.put("config_version", live.version());
        return Reply.ok(node);
    }

    private Reply read(Call call) {
        call.require(Action.READ, CHANNELS);
        String model = model(call);
        RoutingConfig.ModelRouting file = live.config().routing().models().get(model);
        if (file != null) {
            return Reply.ok(fileView(model, file));
        }
        return Reply.ok(adminRule(model).map(r -> adminView(r, false))
                .orElseThrow(() -> ApiException.notFound("No routing rules are set for model '" + model + "'.")));
    }

    private Reply put(Call call) {
        call.require(Action.UPDATE, CHANNELS);
        String model = model(call);
        requireNotFromFile(model);
        ObjectNode body = call.object();
        Result<RoutingConfig.ModelRouting> bound = RoutingBinder.bindModel(model, JsonTree.of(body));
        if (!bound.isOk()) {
            throw ApiException.invalidConfig("invalid_field", bound.problems(), false, null);
        }
        Optional<LiveConfig.AdminRule> before = adminRule(model);
        live.ruleStore().put(model, Json.text(body), clock.now().toEpochMilli(), call.caller().display());
        long version = live.changed(call.caller().display());
        ObjectNode after = adminView(adminRule(model).orElseThrow(), false);
        audit.record(call, before.isPresent() ? "routing.update" : "routing.create", "routing:" + model,
                before.map(r -> adminView(r, false)).orElse(null), after);
        ObjectNode reply = after.deepCopy();
        reply.put("config_version", version);
        return before.isPresent() ? Reply.ok(reply) : Reply.created(reply);
    }

    private Reply delete(Call call) {
        call.require(Action.DELETE, CHANNELS);
        String model = model(call);
        requireNotFromFile(model);
        LiveConfig.AdminRule before = adminRule(model)
                .orElseThrow(() -> ApiException.notFound("No routing rules are set for model '" + model + "'."));
        live.ruleStore().remove(model);
        live.changed(call.caller().display());
        audit.record(call, "routing.delete", "routing:" + model, adminView(before, false), null);
        return Reply.noContent();
    }

    private static String model(Call call) {
        String model = URLDecoder.decode(call.param("model"), StandardCharsets.UTF_8).strip();
        if (model.isEmpty()) {
            throw ApiException.invalid("model", "must not be empty");
        }
        return model;
    }

    private void requireNotFromFile(String model) {
        if (live.config().routing().models().containsKey(model)) {
            throw ApiException.conflict("read_only", "The routing of model '" + model + "' is declared in the"
                    + " config file; change it there and reload.", null);
        }
    }

    private Optional<LiveConfig.AdminRule> adminRule(String model) {
        return live.adminRules().stream().filter(r -> r.row().model().equals(model)).findFirst();
    }

    private ObjectNode fileView(String model, RoutingConfig.ModelRouting rules) {
        ObjectNode node = Json.object();
        node.put("model", model);
        node.put("source", ChannelStore.FILE);
        node.put("read_only", true);
        node.put("served", live.router().current().serves(model));
        node.setAll(ConfigViews.routing(rules));
        return node;
    }

    private ObjectNode adminView(LiveConfig.AdminRule rule, boolean shadowed) {
        ObjectNode node = Json.object();
        node.put("model", rule.row().model());
        node.put("source", ChannelStore.ADMIN);
        node.put("read_only", false);
        node.put("served", live.router().current().serves(rule.row().model()));
        if (rule.rules().isOk()) {
            node.setAll(ConfigViews.routing(rule.rules().value().orElseThrow()));
        } else {
            var problems = node.putArray("problems");
            rule.rules().problems().forEach(p -> problems.add(p.path().pointer() + ": " + p.message()));
        }
        if (shadowed) {
            node.put("shadowed", "the config file declares this model's routing; these rules are not used");
        }
        node.put("updated_at", Json.time(rule.row().updatedMillis()));
        node.put("updated_by", rule.row().updatedBy());
        return node;
    }
}
