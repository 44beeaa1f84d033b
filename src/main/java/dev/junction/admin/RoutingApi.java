package dev.junction.admin;

import dev.junction.core.Needs;
import dev.junction.governance.Action;
import dev.junction.governance.Target;
import dev.junction.routing.RoutingSnapshot;
import java.util.List;
import java.util.function.Supplier;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code GET /api/routing/explain?model=…}: the channels a request for a public model would try now,
 * in the strategy's order, and why every other channel of the model is left out (capability,
 * cooling, breaker, limit, disabled). Optional parameters describe the request to explain
 * ({@code tools}, {@code vision}, {@code json_schema}, {@code prompt_tokens}, {@code max_output}).
 */
final class RoutingApi {

    private final Supplier<RoutingSnapshot> routing;

    RoutingApi(Supplier<RoutingSnapshot> routing) {
        this.routing = routing;
    }

    List<Route> routes() {
        return List.of(Route.of("GET", "/api/routing/explain", this::explain));
    }

    private Reply explain(Call call) {
        call.require(Action.READ, new Target.Whole(Target.Area.CHANNELS));
        String model = call.query("model").filter(m -> !m.isBlank())
                .orElseThrow(() -> ApiException.invalid("model", "required: the public model to explain"));
        RoutingSnapshot snapshot = routing.get();
        if (snapshot == null || !snapshot.serves(model)) {
            throw ApiException.notFound("No channel serves model '" + model + "'.");
        }
        int mask = (flag(call, "tools") ? Needs.TOOLS : 0) | (flag(call, "vision") ? Needs.VISION : 0)
                | (flag(call, "json_schema") ? Needs.JSON_SCHEMA : 0);
        Needs needs = new Needs(mask, number(call, "prompt_tokens"), number(call, "max_output"), null, 0, false);
        var rules = snapshot.routing(model);
        ObjectNode node = Json.object();
        node.put("model", model);
        node.put("snapshot", snapshot.version());
        node.put("strategy", rules.strategy().configName());
        ArrayNode fallbacks = node.putArray("fallbacks");
        rules.fallbacks().forEach(fallbacks::add);
        node.put("affinity", rules.affinity());
        ArrayNode candidates = node.putArray("candidates");
        ArrayNode excluded = node.putArray("excluded");
        for (RoutingSnapshot.Explained e : snapshot.explain(model, needs)) {
            ObjectNode entry = e.candidate() ? candidates.addObject() : excluded.addObject();
            entry.put("channel", e.channel());
            entry.put("channel_id", e.id());
            entry.put("upstream_model", e.upstreamModel());
            entry.put("priority", e.priority());
            entry.put("weight", e.weight());
            if (!e.candidate()) {
                entry.put("reason", e.reason());
                entry.put("detail", e.detail());
            }
            entry.put("assumed_capable", e.assumed());
            if (e.assumed()) {
                entry.put("note", "unknown model: assumed capable");
            }
            entry.put("in_flight", e.inFlight());
            entry.put("ttft_ms", Math.round(e.ttftMillis()));
            entry.put("tokens_per_second", Math.round(e.tokensPerSecond() * 10) / 10.0);
            entry.put("quota_remaining", Math.round(e.remainingShare() * 1000) / 1000.0);
            if (e.traits().priced()) {
                entry.put("input_price", e.traits().inputPrice() / 1_000_000.0);
                entry.put("output_price", e.traits().outputPrice() / 1_000_000.0);
            }
        }
        return Reply.ok(node);
    }

    private static boolean flag(Call call, String name) {
        String text = call.query(name).orElse("false");
        return switch (text) {
            case "true", "1" -> true;
            case "false", "0", "" -> false;
            default -> throw ApiException.invalid(name, "must be true or false");
        };
    }

    private static long number(Call call, String name) {
        String text = call.query(name).orElse(null);
        if (text == null) {
            return 0;
        }
        try {
            long value = Long.parseLong(text);
            if (value >= 0) {
                return value;
            }
        } catch (NumberFormatException ignored) {
            // Reported below.
        }
        throw ApiException.invalid(name, "must be a whole number of at least 0");
    }
}
