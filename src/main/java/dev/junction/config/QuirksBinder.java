package dev.junction.config;

import dev.junction.core.ChannelQuirks;
import dev.junction.core.ChannelType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A channel's request adjustments: {@code drop_params}, {@code defaults} and
 * {@code stream_options}, fields of the channel itself. Parameter names are OpenAI's for every
 * channel type.
 */
final class QuirksBinder {

    static final Set<String> FIELDS = Set.of("drop_params", "defaults", "stream_options");
    /** Request fields the gateway itself owns; no channel may drop or default them. */
    static final Set<String> PROTECTED_PARAMS = Set.of("model", "messages", "stream");

    private QuirksBinder() {
    }

    /** The quirks among a channel's fields; {@code type} is empty when the channel's type is wrong. */
    static ChannelQuirks bind(Fields fields, Optional<ChannelType> type) {
        Set<String> drop = fields.read("drop_params", QuirksBinder::dropParams, Set.of());
        Map<String, Object> defaults = fields.read("defaults", QuirksBinder::defaults, Map.of());
        boolean streamOptions = fields.read("stream_options", n -> streamOptions(n, type), true);
        return new ChannelQuirks(drop, defaults, streamOptions);
    }

    static Result<Set<String>> dropParams(ConfigNode node) {
        List<ConfigNode> items = node instanceof ConfigNode.Sequence sequence ? sequence.items() : List.of(node);
        Binding binding = new Binding();
        Set<String> drop = new LinkedHashSet<>();
        for (ConfigNode item : items) {
            binding.take(Values.text(item)).ifPresent(param -> {
                if (PROTECTED_PARAMS.contains(param) || param.isBlank()) {
                    binding.add(item, "'" + param + "' cannot be dropped");
                } else if (!drop.add(param)) {
                    binding.add(item, "'" + param + "' is listed twice");
                }
            });
        }
        return binding.result(() -> drop);
    }

    static Result<Map<String, Object>> defaults(ConfigNode node) {
        if (!(node instanceof ConfigNode.Mapping mapping)) {
            return Result.problem(node, "expected a mapping of parameter: value, e.g. {max_tokens: 4096}");
        }
        Binding binding = new Binding();
        Map<String, Object> defaults = new LinkedHashMap<>();
        for (ConfigNode.Entry entry : mapping.entries()) {
            binding.take(Values.text(entry.key())).ifPresent(param -> {
                if (PROTECTED_PARAMS.contains(param) || param.isBlank()) {
                    binding.add(entry.key(), "'" + param + "' cannot have a default");
                } else if (defaults.containsKey(param)) {
                    binding.add(entry.key(), "given twice");
                } else {
                    List<Problem> problems = new ArrayList<>();
                    defaults.put(param, Values.plain(entry.value(), problems));
                    binding.addAll(problems);
                }
            });
        }
        return binding.result(() -> defaults);
    }

    static Result<Boolean> streamOptions(ConfigNode node, Optional<ChannelType> type) {
        return Values.bool(node).then(value -> type.isPresent() && type.get() != ChannelType.OPENAI
                ? Result.problem(node, "only openai channels send stream_options") : Result.ok(value));
    }
}
