package dev.junction.app;

import dev.junction.catalog.Catalog;
import dev.junction.catalog.Preset;
import dev.junction.config.ChannelPreset;
import dev.junction.config.ChannelPresets;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The catalog's provider presets as the config's {@code preset:} sees them: type, base URL, quirks
 * and every model the preset serves (catalogued ones first). The catalog is read only when a channel
 * names a preset.
 */
final class CatalogPresets implements ChannelPresets {

    private final Supplier<Catalog> catalog;

    private CatalogPresets(Supplier<Catalog> catalog) {
        this.catalog = catalog;
    }

    /** The presets of the catalog shipped in the jar. */
    static ChannelPresets builtIn() {
        return new CatalogPresets(Catalog::builtIn);
    }

    static ChannelPresets of(Catalog catalog) {
        return new CatalogPresets(() -> catalog);
    }

    @Override
    public Optional<ChannelPreset> preset(String name) {
        return catalog.get().preset(name).map(CatalogPresets::channelPreset);
    }

    @Override
    public List<String> names() {
        return catalog.get().presets().stream().map(Preset::name).toList();
    }

    static ChannelPreset channelPreset(Preset preset) {
        return new ChannelPreset(preset.name(), preset.type(), preset.baseUrl(), preset.quirks(), preset.allModels(),
                preset.keyRequired());
    }
}
