package dev.junction.ingress;

import dev.junction.catalog.Catalog;
import dev.junction.catalog.ModelInfo;
import dev.junction.catalog.Price;
import dev.junction.catalog.Rates;
import dev.junction.catalog.UnitPrices;
import dev.junction.protocol.JsonTrees;
import tools.jackson.databind.JsonNode;
import dev.junction.core.TokenUsage;
import dev.junction.core.Units;
import dev.junction.governance.Demand;
import dev.junction.governance.Limiter;
import dev.junction.governance.Quota;
import dev.junction.governance.Quotas;
import dev.junction.protocol.OutputLimit;
import dev.junction.relay.RelayResult;
import dev.junction.usage.Pricing;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The limits and budgets of a request's key, its owner and its teams ({@link Quotas}), enforced by
 * the {@link Limiter} on every model request: rpm and concurrency count the request; tpm and budgets
 * reserve its upper bound ({@link #demand}) and are corrected to the real tokens and cost when it
 * ends. A refusal is a 429 in the client's API shape with {@code Retry-After}.
 *
 * <p>The upper bound: the prompt estimate (the body's bytes / 4, rounded up — the rule the local
 * token count uses) plus the most output the request may produce (its own {@code max_tokens} or
 * equivalent, else the model's catalog {@code max_output}, else {@value #FALLBACK_OUTPUT}), priced at
 * the dearest model any channel may serve it with; a model with no known price is priced at
 * {@link #FALLBACK_PRICE} ($15 in, $75 out per million tokens) for the reservation. The real cost
 * is what its usage record says: the served channel's price of its tokens or units (images,
 * characters, seconds of audio, searches), nothing for a model with no known price.
 */
public final class LimitCheck implements AdmissionCheck {

    /** The most output assumed when neither the request nor the catalog says. */
    static final long FALLBACK_OUTPUT = 32_768;
    /** The most output ever reserved for one request. */
    static final long MAX_OUTPUT = 10_000_000;
    /** The reservation price of a model with no known price: $15 per 1M input, $75 per 1M output tokens. */
    static final Price FALLBACK_PRICE = Price.flat(Rates.usd("15", "75", "15", "15"));

    private final Supplier<Quotas> quotas;
    private final Limiter limiter;
    private final Function<String, List<String>> upstreamModels;
    private final Catalog catalog;
    private final Pricing pricing;

    private LimitCheck(Supplier<Quotas> quotas, Limiter limiter, Function<String, List<String>> upstreamModels,
            Catalog catalog, Pricing pricing) {
        this.quotas = quotas;
        this.limiter = limiter;
        this.upstreamModels = upstreamModels;
        this.catalog = catalog;
        this.pricing = pricing;
    }

    /**
     * @param upstreamModels the upstream model names a public model may be served with (every channel's)
     * @param catalog the prices and output limits of upstream models, for the reservation
     * @param pricing what a served request really cost (the channel's {@code prices:}, then the catalog),
     *     the same price its usage record carries
     */
    public static LimitCheck of(Supplier<Quotas> quotas, Limiter limiter,
            Function<String, List<String>> upstreamModels, Catalog catalog, Pricing pricing) {
        return new LimitCheck(Objects.requireNonNull(quotas, "quotas"), Objects.requireNonNull(limiter, "limiter"),
                Objects.requireNonNull(upstreamModels, "upstreamModels"), Objects.requireNonNull(catalog, "catalog"),
                Objects.requireNonNull(pricing, "pricing"));
    }

    @Override
    public Hold admit(Admitted request) {
        if (request.subject().kind() != Subject.Kind.MODEL_REQUEST) {
            return Hold.NONE;
        }
        List<Quota> applicable = quotas.get().of(request.key().id());
        if (applicable.isEmpty()) {
            return Hold.NONE;
        }
        Demand demand = Demand.NONE;
        if (needsDemand(applicable) && !countsTokensOnly(request)) {
            byte[] body = request.exchange() instanceof CheckedQuery checked ? checked.bodyIfRead()
                    : request.exchange().body();
            // A streamed upload (a transcription) was never held whole: it reserves nothing, and its
            // real cost is charged when it ends.
            demand = body == null ? Demand.NONE : demand(request.subject().model(), body);
        }
        Limiter.Reservation reservation = limiter.reserve(applicable, demand);
        return outcome -> {
            switch (outcome) {
                case Outcome.Refused refused -> reservation.release();
                case Outcome.Relayed relayed -> reservation.settle(tokens(relayed.result()),
                        cost(relayed.result(), relayed.units()));
                default -> reservation.settle(0, 0);
            }
        };
    }

    private static boolean needsDemand(List<Quota> quotas) {
        for (Quota quota : quotas) {
            if (quota.limits().tpm() > 0 || quota.budget().isPresent()) {
                return true;
            }
        }
        return false;
    }

    /** A token count (Anthropic's, Gemini's) spends nothing worth reserving. */
    private static boolean countsTokensOnly(Admitted request) {
        String path = request.exchange().path();
        return path.endsWith("/count_tokens") || path.endsWith(":countTokens");
    }

    /** The upper bound of what a request for {@code model} with {@code body} may use and cost. */
    Demand demand(String model, byte[] body) {
        long prompt = (body.length + 3L) / 4;
        OptionalLong asked = OutputLimit.requested(body);
        List<String> upstreams = upstreamModels.apply(model);
        long tokens = 0;
        long micros = 0;
        if (upstreams.isEmpty()) {
            long output = Math.min(asked.orElse(FALLBACK_OUTPUT), MAX_OUTPUT);
            return new Demand(prompt + output, FALLBACK_PRICE.cost(prompt, output, 0, 0, 0));
        }
        for (String upstream : upstreams) {
            Optional<ModelInfo> info = catalog.model(upstream);
            long output = output(info, asked);
            Price price = info.flatMap(ModelInfo::price).orElse(FALLBACK_PRICE);
            tokens = Math.max(tokens, prompt + output);
            micros = Math.max(micros, price.cost(prompt, output, 0, 0, 0) + unitDemand(price.units(), body));
        }
        return new Demand(tokens, micros);
    }

    /**
     * The most a media request may cost per unit: {@code n} images (default 1) at the model's
     * dearest image price; a speech input of at most the body's length in characters.
     */
    static long unitDemand(UnitPrices units, byte[] body) {
        if (units.isEmpty()) {
            return 0;
        }
        long micros = 0;
        if (!units.perImage().isEmpty()) {
            long n = 1;
            try {
                JsonNode asked = JsonTrees.MAPPER.readTree(body).path("n");
                n = asked.isIntegralNumber() ? Math.max(1, Math.min(asked.asLong(), 1000)) : 1;
            } catch (RuntimeException notJson) {
                // the parser already refused a body that is not JSON
            }
            long dearest = units.perImage().values().stream().mapToLong(Long::longValue).max().orElse(0);
            micros += n * dearest;
        }
        if (units.perMillionCharacters() > 0) {
            micros += units.cost(Units.of(body.length, Units.CHARACTER)).orElse(0);
        }
        return micros;
    }

    private static long output(Optional<ModelInfo> info, OptionalLong asked) {
        if (info.isPresent() && info.get().kind() != ModelInfo.Kind.CHAT) {
            return 0;
        }
        long modelMax = info.map(i -> i.capabilities().maxOutput()).filter(m -> m > 0 && m < MAX_OUTPUT)
                .orElse(-1L);
        long output = asked.isPresent() ? asked.getAsLong() : modelMax > 0 ? modelMax : FALLBACK_OUTPUT;
        if (modelMax > 0) {
            output = Math.min(output, modelMax);
        }
        return Math.min(output, MAX_OUTPUT);
    }

    private static long tokens(RelayResult result) {
        TokenUsage usage = result.usage();
        return usage.input() + usage.output();
    }

    /** The real cost of what the request spent, as its usage record prices it (unknown counts 0). */
    private long cost(RelayResult result, Units units) {
        TokenUsage usage = result.usage();
        if (result.channel() == null || result.upstreamModel() == null
                || usage.equals(TokenUsage.NONE) && units.count() == 0) {
            return 0;
        }
        return pricing.cost(result.channel(), result.upstreamModel(), usage, units).orElse(0);
    }
}
