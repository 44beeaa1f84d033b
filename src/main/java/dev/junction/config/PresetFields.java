package dev.junction.config;

import dev.junction.core.ChannelQuirks;
import dev.junction.core.ChannelType;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A channel's {@code preset:} and what it fills in: a field the channel gives wins; one it leaves out
 * comes from the preset. Without {@code preset:} every field is read as before. An unknown preset is
 * one problem on its line (listing the known names), not one more for every field it would have filled.
 */
final class PresetFields {

    private final Fields fields;
    private final boolean given;
    private final Optional<ChannelPreset> preset;

    private PresetFields(Fields fields, boolean given, Optional<ChannelPreset> preset) {
        this.fields = fields;
        this.given = given;
        this.preset = preset;
    }

    static PresetFields read(Fields fields, ChannelPresets presets) {
        return new PresetFields(fields, fields.has("preset"), fields.read("preset", n -> preset(n, presets)));
    }

    static Result<ChannelPreset> preset(ConfigNode node, ChannelPresets presets) {
        return Values.nonEmpty(node).then(name -> presets.preset(name).map(Result::ok).orElseGet(() ->
                Result.problem(node, "unknown preset '" + name + "'; " + (presets.names().isEmpty()
                        ? "no presets are available" : "use one of " + String.join(", ", presets.names())))));
    }

    /** The channel's own {@code field} when given (or when there is no preset), else the preset's value. */
    <T> Optional<T> or(String field, Function<ChannelPreset, T> fromPreset, Supplier<Optional<T>> own) {
        return given && !fields.has(field) ? preset.map(fromPreset) : own.get();
    }

    /** The preset's models under their own names, when the channel lists none. */
    Map<String, String> models(Supplier<Map<String, String>> own) {
        return or("models", ChannelPreset::sameNameModels, () -> Optional.of(own.get())).orElse(Map.of());
    }

    /** The channel's quirks, with those it did not give from the preset. */
    ChannelQuirks quirks(ChannelQuirks own) {
        return preset.map(p -> p.under(own, fields::has)).orElse(own);
    }

    /** A preset that needs a key (every one but a local server's) on a channel that gives none. */
    void requireKey(Binding binding) {
        preset.filter(p -> p.keyRequired() && !fields.has("api_key") && !fields.has("api_keys")).ifPresent(p ->
                binding.add(Problem.atField(fields.node(), "api_key",
                        "missing; the " + p.name() + " preset needs a provider key")));
    }

    /**
     * {@code models: auto}: the upstream lists its models (asked at start-up); only openai channels,
     * which serve {@code GET {base_url}/models}.
     */
    static boolean listModels(Fields fields, Optional<ChannelType> type, Binding binding) {
        Optional<ConfigNode> models = fields.get("models")
                .filter(n -> n instanceof ConfigNode.Scalar scalar && scalar.text().equals("auto"));
        if (models.isPresent() && type.isPresent() && type.get() != ChannelType.OPENAI) {
            binding.add(models.get(), "only openai channels can list their models (models: auto)");
        }
        return models.isPresent();
    }
}
