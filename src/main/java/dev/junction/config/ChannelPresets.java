package dev.junction.config;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The presets a channel's {@code preset:} may name. The application passes the catalog's
 * ({@code ConfigLoader.withPresets}); without it no preset is known.
 */
public interface ChannelPresets {

    /** No presets: every {@code preset:} is unknown. */
    ChannelPresets NONE = of(List.of());

    /** The preset with this name or one of its aliases; case does not matter. */
    Optional<ChannelPreset> preset(String name);

    /** The names to suggest when a name is unknown, in a stable order. */
    List<String> names();

    /** A fixed set of presets, looked up by {@link ChannelPreset#name()} ignoring case. */
    static ChannelPresets of(List<ChannelPreset> presets) {
        List<ChannelPreset> all = List.copyOf(presets);
        return new ChannelPresets() {
            @Override
            public Optional<ChannelPreset> preset(String name) {
                Objects.requireNonNull(name, "name");
                return all.stream().filter(p -> p.name().toLowerCase(Locale.ROOT)
                        .equals(name.strip().toLowerCase(Locale.ROOT))).findFirst();
            }

            @Override
            public List<String> names() {
                return all.stream().map(ChannelPreset::name).toList();
            }
        };
    }
}
