package dev.junction.catalog;

import dev.junction.core.canonical.Usage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The model catalog: capabilities and prices of the models people route to, and provider presets,
 * from a data file in the jar ({@code catalog/catalog.yaml}, docs/catalog.md). A channel's
 * {@code capabilities:} and {@code prices:} override it per upstream model through
 * {@link #withOverrides}. A model the catalog lacks is still served: its lookup is empty, which
 * callers read as "assumed capable" and "cost unknown", never as zero or a refusal.
 *
 * <p>Immutable and safe to share; {@link #builtIn()} is loaded once.
 */
public final class Catalog {

    static final String RESOURCE = "catalog/catalog.yaml";

    private static volatile Catalog builtIn;

    private final List<ModelInfo> models;
    private final Map<String, ModelInfo> byName;
    private final List<Preset> presets;
    private final Map<String, Preset> presetByName;
    private final List<Source> sources;
    /** Upstream names a channel's config describes, by {@link ModelNames#key}; consulted first. */
    private final Map<String, ModelInfo> overrides;
    /**
     * Lookups already answered, by the name as given: upstream names come from the config, so the set
     * is small; past {@link #MEMO_LIMIT} names nothing more is remembered (a client cannot grow it).
     */
    private final Map<String, Optional<ModelInfo>> memo = new ConcurrentHashMap<>();

    private static final int MEMO_LIMIT = 4096;

    Catalog(List<ModelInfo> models, List<Preset> presets, List<Source> sources) {
        this(List.copyOf(models), index(models), List.copyOf(presets), presetIndex(presets), List.copyOf(sources),
                Map.of());
    }

    private Catalog(List<ModelInfo> models, Map<String, ModelInfo> byName, List<Preset> presets,
            Map<String, Preset> presetByName, List<Source> sources, Map<String, ModelInfo> overrides) {
        this.models = models;
        this.byName = byName;
        this.presets = presets;
        this.presetByName = presetByName;
        this.sources = sources;
        this.overrides = overrides;
    }

    /**
     * The catalog shipped in the jar, loaded and validated on first use.
     *
     * @throws CatalogException if the data file is broken (a test keeps that from shipping)
     */
    public static Catalog builtIn() {
        Catalog catalog = builtIn;
        if (catalog == null) {
            synchronized (Catalog.class) {
                catalog = builtIn;
                if (catalog == null) {
                    catalog = CatalogLoader.parse(RESOURCE, builtInText());
                    builtIn = catalog;
                }
            }
        }
        return catalog;
    }

    /** The data file's text as shipped. */
    static String builtInText() {
        try (InputStream in = Catalog.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new CatalogException(List.of(RESOURCE + ": not found on the class path"));
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The model an upstream model name refers to: a channel override first, then the catalog by
     * id or alias, then by the looser spellings of {@link ModelNames} (provider prefix, dated
     * snapshot, Ollama tag). Case does not matter.
     */
    public Optional<ModelInfo> model(String upstreamModel) {
        Objects.requireNonNull(upstreamModel, "upstreamModel");
        Optional<ModelInfo> known = memo.get(upstreamModel);
        if (known != null) {
            return known;
        }
        Optional<ModelInfo> found = find(upstreamModel);
        if (memo.size() < MEMO_LIMIT) {
            memo.put(upstreamModel, found);
        }
        return found;
    }

    private Optional<ModelInfo> find(String upstreamModel) {
        if (!overrides.isEmpty()) {
            ModelInfo overridden = overrides.get(ModelNames.key(upstreamModel));
            if (overridden != null) {
                return Optional.of(overridden);
            }
        }
        for (String key : ModelNames.candidates(upstreamModel)) {
            ModelInfo model = byName.get(key);
            if (model != null) {
                return Optional.of(model);
            }
        }
        return Optional.empty();
    }

    /** The preset with this name or alias (case-insensitive). */
    public Optional<Preset> preset(String name) {
        Objects.requireNonNull(name, "name");
        return Optional.ofNullable(presetByName.get(ModelNames.key(name)));
    }

    /** Every catalogued model, in data-file order (overrides not included). */
    public List<ModelInfo> models() {
        return models;
    }

    public List<Preset> presets() {
        return presets;
    }

    /** Where each provider's numbers came from and when they were checked. */
    public List<Source> sources() {
        return sources;
    }

    /**
     * This catalog as one channel sees it: its {@code capabilities:} and {@code prices:} (keyed by
     * upstream model name) win over the catalog, field by field. For a model the catalog lacks,
     * capabilities not given stay assumed ({@link ModelInfo#assumed()}), and prices need at least
     * {@code input} and {@code output} ({@code cached_input} and {@code cache_write} then default to
     * {@code input}). A price override replaces the catalog's long-prompt tiers: the channel's price
     * is what its operator pays. Overriding only {@code context_window} below the catalog's
     * {@code max_output} lowers {@code max_output} to it.
     *
     * @throws IllegalArgumentException naming the upstream model when the override is inconsistent
     */
    public Catalog withOverrides(Map<String, ModelOverride> byUpstreamModel) {
        Objects.requireNonNull(byUpstreamModel, "byUpstreamModel");
        if (byUpstreamModel.isEmpty()) {
            return this;
        }
        Map<String, ModelInfo> merged = new LinkedHashMap<>(overrides);
        byUpstreamModel.forEach((upstream, override) -> {
            if (!override.isEmpty()) {
                merged.put(ModelNames.key(upstream), merge(upstream, model(upstream), override));
            }
        });
        return new Catalog(models, byName, presets, presetByName, sources, Collections.unmodifiableMap(merged));
    }

    /**
     * The cost of one request in micro-dollars, or empty when the model or its price is unknown
     * (see {@link Price#cost} for the token convention and rounding).
     */
    public OptionalLong cost(String upstreamModel, long input, long output, long cacheRead, long cacheWrite,
            long reasoning) {
        Optional<Price> price = model(upstreamModel).flatMap(ModelInfo::price);
        return price.isEmpty() ? OptionalLong.empty()
                : OptionalLong.of(price.get().cost(input, output, cacheRead, cacheWrite, reasoning));
    }

    /**
     * The cost of a request that spent {@code tokens} and {@code units}, in micro-dollars; empty when
     * unknown. A model billed by tokens is priced by its tokens when the provider reported some (a
     * {@code gpt-image-1} image, a {@code gpt-4o-transcribe} transcript); otherwise by its units when
     * it has a price for them (per image, character, minute, search); units counted in tokens with no
     * token report (a moderation's estimate) are priced as input tokens.
     */
    public OptionalLong cost(String upstreamModel, dev.junction.core.TokenUsage tokens, dev.junction.core.Units units) {
        Optional<Price> known = model(upstreamModel).flatMap(ModelInfo::price);
        if (known.isEmpty()) {
            return OptionalLong.empty();
        }
        Price price = known.get();
        boolean reported = !tokens.equals(dev.junction.core.TokenUsage.NONE);
        if (reported && (price.chargesTokens() || units.isTokens() || !price.units().prices(units.unit()))) {
            return OptionalLong.of(price.cost(tokens.input(), tokens.output(), tokens.cacheRead(), tokens.cacheWrite(),
                    tokens.reasoning()));
        }
        if (units.count() == 0) {
            return OptionalLong.of(0);
        }
        if (units.isTokens()) {
            return OptionalLong.of(price.cost(units.count(), 0, 0, 0, 0));
        }
        return price.units().cost(units);
    }

    /** {@link #cost(String, long, long, long, long, long)} for a canonical usage record. */
    public OptionalLong cost(String upstreamModel, Usage usage) {
        return cost(upstreamModel, usage.input(), usage.output(), usage.cacheRead(), usage.cacheWrite(),
                usage.reasoning());
    }

    static ModelInfo merge(String upstream, Optional<ModelInfo> base, ModelOverride override) {
        Capabilities was = base.map(ModelInfo::capabilities).orElse(Capabilities.ASSUMED);
        Set<String> assumed = new LinkedHashSet<>(base.map(ModelInfo::assumed).orElse(allCapabilityFields()));
        Set<String> overridden = new LinkedHashSet<>(base.map(ModelInfo::overridden).orElse(Set.of()));
        Map<String, Boolean> flags = override.flags();
        Map<String, Long> limits = override.limits();
        assumed.removeAll(flags.keySet());
        assumed.removeAll(limits.keySet());
        overridden.addAll(flags.keySet());
        overridden.addAll(limits.keySet());
        long context = limits.getOrDefault("context_window", was.contextWindow());
        long maxOutput = limits.getOrDefault("max_output", was.maxOutput());
        if (maxOutput > context) {
            if (limits.containsKey("max_output")) {
                throw new IllegalArgumentException(upstream + ": max_output " + maxOutput
                        + " is above context_window " + context);
            }
            maxOutput = context;
        }
        Capabilities capabilities = new Capabilities(context, maxOutput,
                flags.getOrDefault("tools", was.tools()), flags.getOrDefault("vision", was.vision()),
                flags.getOrDefault("json_schema", was.jsonSchema()), flags.getOrDefault("reasoning", was.reasoning()),
                flags.getOrDefault("prefill", was.prefill()));
        Optional<Price> price = base.flatMap(ModelInfo::price);
        Map<String, Long> prices = override.prices();
        if (!prices.isEmpty()) {
            Rates catalogued = price.map(Price::base).orElse(null);
            UnitPrices units = price.map(Price::units).orElse(UnitPrices.NONE).with(override.unitPrices());
            boolean unitsOnly = !override.givesTokenRates();
            if (catalogued == null && !unitsOnly && !(prices.containsKey("input") && prices.containsKey("output"))) {
                throw new IllegalArgumentException(upstream
                        + ": prices for a model the catalog lacks need at least input and output");
            }
            if (unitsOnly && price.isPresent()) {
                price = Optional.of(price.get().withUnits(units)); // the catalog's token rates (and tiers) stay
            } else {
                long input = prices.getOrDefault("input", catalogued == null ? 0 : catalogued.input());
                long output = prices.getOrDefault("output", catalogued == null ? 0 : catalogued.output());
                long cached = prices.getOrDefault("cached_input", catalogued == null ? input : catalogued.cachedInput());
                long write = prices.getOrDefault("cache_write", catalogued == null ? input : catalogued.cacheWrite());
                price = Optional.of(Price.flat(new Rates(input, output, cached, write)).withUnits(units));
            }
            overridden.addAll(prices.keySet().stream().map(field -> "prices." + field).toList());
        }
        return new ModelInfo(base.map(ModelInfo::id).orElse(upstream), base.map(ModelInfo::provider).orElse(""),
                base.map(ModelInfo::kind).orElse(ModelInfo.Kind.CHAT), capabilities, price,
                base.map(ModelInfo::aliases).orElse(List.of()), overridden, assumed,
                base.map(ModelInfo::note).orElse("described only by the channel's config"));
    }

    private static Set<String> allCapabilityFields() {
        Set<String> fields = new LinkedHashSet<>(ModelOverride.FLAG_FIELDS);
        fields.addAll(ModelOverride.LIMIT_FIELDS);
        return fields;
    }

    private static Map<String, ModelInfo> index(List<ModelInfo> models) {
        Map<String, ModelInfo> index = new LinkedHashMap<>();
        for (ModelInfo model : models) {
            for (String name : concat(model.id(), model.aliases())) {
                if (index.putIfAbsent(ModelNames.key(name), model) != null) {
                    throw new IllegalArgumentException("the model name '" + name + "' is used twice");
                }
            }
        }
        return Collections.unmodifiableMap(index);
    }

    private static Map<String, Preset> presetIndex(List<Preset> presets) {
        Map<String, Preset> index = new LinkedHashMap<>();
        for (Preset preset : presets) {
            for (String name : preset.allNames()) {
                if (index.putIfAbsent(ModelNames.key(name), preset) != null) {
                    throw new IllegalArgumentException("the preset name '" + name + "' is used twice");
                }
            }
        }
        return Collections.unmodifiableMap(index);
    }

    private static List<String> concat(String first, List<String> rest) {
        return Stream.concat(Stream.of(first), rest.stream()).toList();
    }
}
