package dev.junction.admin;

import dev.junction.core.Needs;
import dev.junction.core.Units;
import dev.junction.governance.Action;
import dev.junction.governance.Target;
import dev.junction.protocol.NeedsScan;
import dev.junction.protocol.openai.MediaClientRequest;
import dev.junction.protocol.openai.MediaEndpoint;
import dev.junction.routing.RoutingSnapshot;
import java.util.List;
import java.util.function.Supplier;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code GET /api/routing/explain?model=…}: the channels a request for a public model would try now,
 * in the strategy's order, and why every other channel of the model is left out (capability,
 * cooling, breaker, limit, disabled). Optional parameters describe the request to explain
 * ({@code tools}, {@code vision}, {@code json_schema}, {@code reasoning}, {@code code}, {@code prompt_tokens},
 * {@code max_output}, {@code turns}, and {@code prompt}: a user message's text, scanned as a request's
 * is; for a media request {@code endpoint}, {@code units}, {@code size}, {@code quality}). Each
 * channel shows the price {@code cheapest} compares it by. For a complexity router the answer says which model the classifier picks and why, and explains
 * that model's channels.
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
        Needs needs = needs(call);
        ObjectNode node = Json.object();
        node.put("model", model);
        node.put("snapshot", snapshot.version());
        var verdict = snapshot.complexity(model, needs);
        if (verdict.isPresent()) {
            var v = verdict.get();
            var c = snapshot.routing(model).complexity().orElseThrow();
            ObjectNode complexity = node.putObject("complexity");
            complexity.put("simple", c.simple());
            complexity.put("hard", c.hard());
            complexity.put("threshold", c.threshold());
            complexity.put("score", v.score());
            complexity.put("tier", v.tier());
            complexity.put("target", v.target());
            complexity.set("reasons", ConfigViews.strings(v.reasons()));
            node.put("routed_to", v.target());
            model = v.target();
        }
        var rules = snapshot.routing(model);
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
                entry.put("until", e.until() == null ? null : e.until().toString());
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
            ObjectNode price = entry.putObject("price");
            price.put("basis", e.quote().basis());
            price.put("known", e.quote().known());
            if (e.quote().unitMicros() >= 0) {
                price.put("unit_price", e.quote().unitMicros() / 1_000_000.0);
            }
            if (e.quote().known()) {
                price.put("estimated_cost", Math.round(e.quote().micros()) / 1_000_000.0);
            }
        }
        return Reply.ok(node);
    }

    /**
     * The request to explain: flags and numbers as given, and with {@code prompt} a user message whose
     * text is scanned as a request's would be (length, code blocks, reasoning words).
     */
    private static Needs needs(Call call) {
        int mask = (flag(call, "tools") ? Needs.TOOLS : 0) | (flag(call, "vision") ? Needs.VISION : 0)
                | (flag(call, "json_schema") ? Needs.JSON_SCHEMA : 0) | (flag(call, "reasoning") ? Needs.REASONING : 0);
        long prompt = number(call, "prompt_tokens");
        int turns = (int) Math.min(Integer.MAX_VALUE, number(call, "turns"));
        boolean code = flag(call, "code");
        int keywords = 0;
        String text = call.query("prompt").orElse("");
        if (!text.isBlank()) {
            ObjectNode body = Json.object();
            body.putArray("messages").addObject().put("role", "user").put("content", text);
            Needs scanned = NeedsScan.of(Json.text(body).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            mask |= scanned.mask();
            prompt = Math.max(prompt, scanned.promptTokens());
            turns = Math.max(turns, scanned.turns());
            code |= scanned.code();
            keywords = scanned.keywords();
        }
        return new Needs(mask, prompt, number(call, "max_output"), null, turns, code, keywords, units(call));
    }

    /**
     * A media request's units, from {@code endpoint} ({@code images/generations}, {@code audio/speech},
     * …), {@code units} (how many: images, characters, seconds, searches; 1 when not given) and for
     * images {@code size} and {@code quality}; null without {@code endpoint}.
     */
    private static Units units(Call call) {
        String path = call.query("endpoint").map(String::strip).orElse("");
        if (path.isEmpty()) {
            return null;
        }
        String wanted = "/" + path.replaceFirst("^/+", "").replaceFirst("^v1/", "");
        MediaEndpoint endpoint = java.util.Arrays.stream(MediaEndpoint.values()).filter(m -> m.path().equals(wanted))
                .findFirst().orElseThrow(() -> ApiException.invalid("endpoint", "one of " + String.join(", ",
                        java.util.Arrays.stream(MediaEndpoint.values()).map(m -> m.path().substring(1)).toList())));
        long count = call.query("units").isPresent() ? number(call, "units") : 1;
        String unit = MediaClientRequest.unitOf(endpoint);
        String detail = null;
        if (unit.equals(Units.IMAGE)) {
            String size = call.query("size").map(String::strip).filter(v -> !v.isEmpty() && !v.equals("auto"))
                    .orElse("1024x1024");
            detail = call.query("quality").map(String::strip).filter(q -> !q.isEmpty())
                    .map(q -> size + " " + q.toLowerCase(java.util.Locale.ROOT)).orElse(size);
        }
        return new Units(count, unit, detail, false);
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
