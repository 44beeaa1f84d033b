package dev.junction.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * Reads the YAML config file into a {@link GatewayConfig}. {@link YamlTree} turns the text into
 * nodes that know their line and path (with {@code ${VAR}} replaced), and the section binders
 * ({@link GatewayBinder} and the binders it calls) validate it, collecting every problem. Any
 * problem stops start-up with a {@link ConfigException} that lists each one as
 * {@code file:line: field: what is wrong}; nothing half-valid is ever returned.
 */
public final class ConfigLoader {

    private final Function<String, String> environment;
    private final ChannelPresets presets;

    private ConfigLoader(Function<String, String> environment, ChannelPresets presets) {
        this.environment = environment;
        this.presets = presets;
    }

    /** A loader that reads {@code ${VAR}} from the process environment. */
    public static ConfigLoader withSystemEnvironment() {
        return new ConfigLoader(System::getenv, ChannelPresets.NONE);
    }

    /** A loader that reads {@code ${VAR}} from the given lookup (null means unset). */
    public static ConfigLoader withEnvironment(Function<String, String> environment) {
        return new ConfigLoader(Objects.requireNonNull(environment, "environment"), ChannelPresets.NONE);
    }

    /** This loader, with {@code preset:} on channels naming one of {@code presets} (none by default). */
    public ConfigLoader withPresets(ChannelPresets presets) {
        return new ConfigLoader(environment, Objects.requireNonNull(presets, "presets"));
    }

    /** Reads and validates a config file. */
    public GatewayConfig load(Path file) {
        Objects.requireNonNull(file, "file");
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigException(List.of(file + ": cannot read config file: " + e.getMessage()));
        }
        return parse(file.toString(), text);
    }

    /** Validates config text; {@code label} names the source in error lines. */
    public GatewayConfig parse(String label, String text) {
        Objects.requireNonNull(label, "label");
        Optional<ConfigNode> root = YamlTree.read(label, text, environment);
        if (root.isEmpty() || root.get().isNull()) {
            return GatewayConfig.defaults();
        }
        Result<GatewayConfig> config = GatewayBinder.bind(root.get(), presets);
        return config.value().orElseThrow(() -> new ConfigException(config.format(label)));
    }
}
