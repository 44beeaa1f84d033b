package dev.junction.catalog;

import dev.junction.core.ChannelQuirks;
import dev.junction.core.ChannelType;
import java.net.URI;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * A provider's channel defaults, so a channel can be declared as {@code preset: zhipu} plus a key:
 * the type, the base URL (the value the provider's own SDK takes, DESIGN.md §3), the known quirks in
 * the config's own vocabulary and the models it serves. Fields given in the channel win.
 *
 * @param name what {@code preset:} names
 * @param aliases other names accepted for it
 * @param type the wire format to speak
 * @param baseUrl where to send it
 * @param keyRequired false for servers that need no key (a local Ollama)
 * @param listModels whether the server lists its models (so the gateway may ask it)
 * @param models upstream model names it serves; each one resolves in the catalog
 * @param uncatalogued further model names it serves that the catalog does not describe (served,
 *     assumed capable, cost unknown)
 * @param quirks {@code drop_params}, {@code defaults}, {@code stream_options}
 * @param note what a user of the preset should know
 */
public record Preset(
        String name, List<String> aliases, ChannelType type, URI baseUrl, boolean keyRequired, boolean listModels,
        List<String> models, List<String> uncatalogued, ChannelQuirks quirks, String note) {

    public Preset {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(baseUrl, "baseUrl");
        Objects.requireNonNull(quirks, "quirks");
        Objects.requireNonNull(note, "note");
        aliases = List.copyOf(aliases);
        models = List.copyOf(models);
        uncatalogued = List.copyOf(uncatalogued);
    }

    /** The name and its aliases. */
    List<String> allNames() {
        return Stream.concat(Stream.of(name), aliases.stream()).toList();
    }

    /** Every model name the preset serves, catalogued ones first. */
    public List<String> allModels() {
        return Stream.concat(models.stream(), uncatalogued.stream()).toList();
    }
}
