package dev.junction.config;

import dev.junction.core.ChannelQuirks;
import dev.junction.core.ChannelType;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * What {@code preset: NAME} fills in for a channel (DESIGN.md §3.1): fields given in the channel win.
 * The config package only knows this record; the catalog's presets reach it through
 * {@link ChannelPresets}.
 *
 * @param name the preset's own name
 * @param type wire format the provider speaks
 * @param baseUrl the value the provider's own SDK takes
 * @param quirks the provider's request adjustments
 * @param models upstream model names, served under the same public names when the channel lists none
 * @param keyRequired false for servers that need no key (a local Ollama)
 */
public record ChannelPreset(String name, ChannelType type, URI baseUrl, ChannelQuirks quirks, List<String> models,
        boolean keyRequired) {

    public ChannelPreset {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(baseUrl, "baseUrl");
        Objects.requireNonNull(quirks, "quirks");
        models = List.copyOf(models);
    }

    /** The preset's models, each served under its own name. */
    Map<String, String> sameNameModels() {
        Map<String, String> models = new LinkedHashMap<>();
        this.models.forEach(model -> models.put(model, model));
        return models;
    }

    /** The channel's own quirks, with each of the three fields it did not give taken from the preset. */
    ChannelQuirks under(ChannelQuirks own, Predicate<String> given) {
        return new ChannelQuirks(
                given.test("drop_params") ? own.dropParams() : quirks.dropParams(),
                given.test("defaults") ? own.defaults() : quirks.defaults(),
                given.test("stream_options") ? own.streamOptions() : quirks.streamOptions());
    }
}
