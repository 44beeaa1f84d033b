package dev.junction.config;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A channel's {@code prices:}: a mapping of upstream model name to
 * {@code {input, output, cached_input, cache_write}} in USD per 1M tokens, as providers publish them
 * ({@code 0.60}), and for media models {@code per_image} (USD per image; or a mapping by
 * {@code "1024x1024"}, {@code "hd"}, {@code "1024x1024 hd"}), {@code per_1m_characters},
 * {@code per_minute} (of audio) and {@code per_1k_searches}. Each amount must be a non-negative decimal with at most six decimal places (it is
 * kept as exact micro-dollars); a wrong field or amount is reported at its line.
 */
final class PricesBinder {

    private static final Set<String> FIELDS = Set.copyOf(Prices.FIELDS);

    private PricesBinder() {
    }

    static Result<Prices> bind(ConfigNode node) {
        if (!(node instanceof ConfigNode.Mapping mapping)) {
            return Result.problem(node, "expected a mapping of upstream model: {input, output, cached_input, "
                    + "cache_write} in USD per 1M tokens, e.g. glm-4.6: {input: 0.60, output: 2.20}");
        }
        Binding binding = new Binding();
        Map<String, Map<String, Long>> byModel = new LinkedHashMap<>();
        for (ConfigNode.Entry entry : mapping.entries()) {
            binding.take(Values.nonEmpty(entry.key())).ifPresent(model -> {
                if (byModel.containsKey(model)) {
                    binding.add(entry.key(), "model '" + model + "' is given twice");
                    return;
                }
                int before = binding.count();
                Fields fields = binding.fields(entry.value(), FIELDS);
                Map<String, Long> micros = new LinkedHashMap<>();
                for (String field : Prices.FIELDS) {
                    if (field.equals("per_image") && fields.get(field).orElse(null) instanceof ConfigNode.Mapping sizes) {
                        for (ConfigNode.Entry size : sizes.entries()) {
                            binding.take(Values.nonEmpty(size.key())).ifPresent(variant -> binding.take(usd(size.value()))
                                    .ifPresent(value -> micros.put("per_image:" + variant, value)));
                        }
                        continue;
                    }
                    fields.read(field, PricesBinder::usd).ifPresent(value -> micros.put(field, value));
                }
                if (micros.isEmpty() && binding.count() == before) {
                    binding.add(entry.value(), "no price given; set input, output, cached_input, cache_write, "
                            + "per_image, per_1m_characters, per_minute or per_1k_searches");
                }
                byModel.put(model, micros);
            });
        }
        return binding.result(() -> new Prices(byModel));
    }

    /** USD per 1M tokens as exact micro-dollars. */
    static Result<Long> usd(ConfigNode node) {
        return Values.text(node).then(text -> {
            BigDecimal amount;
            try {
                amount = new BigDecimal(text.strip());
            } catch (NumberFormatException e) {
                return Result.problem(node, "'" + text + "' is not a price in USD per 1M tokens, e.g. 0.60");
            }
            if (amount.signum() < 0) {
                return Result.problem(node, "a price is never negative");
            }
            try {
                return Result.ok(amount.movePointRight(6).longValueExact());
            } catch (ArithmeticException e) {
                return Result.problem(node, "'" + text + "' has more than 6 decimal places (prices are kept "
                        + "in whole micro-dollars)");
            }
        });
    }
}
