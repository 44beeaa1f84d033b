package dev.junction.config;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** A gateway key ({@code keys:} item): name, secret and model allow-list. */
public final class KeyBinder {

    static final Set<String> FIELDS = Set.of("name", "key", "models");

    private KeyBinder() {
    }

    /** One key, from the file or an admin API body. */
    public static Result<KeyConfig> bind(ConfigNode node) {
        Binding binding = new Binding();
        Fields fields = binding.fields(node, FIELDS);
        Optional<String> name = fields.required("name");
        Optional<String> key = fields.required("key", KeyBinder::secret);
        List<String> models = fields.read("models", Values::textList, List.of("*"));
        return binding.result(() -> new KeyConfig(name.orElseThrow(), key.orElseThrow(), models));
    }

    static Result<String> secret(ConfigNode node) {
        return Values.nonEmpty(node).then(key -> key.length() < 8
                ? Result.problem(node, "a gateway key must be at least 8 characters") : Result.ok(key));
    }

    /** The {@code keys:} list: every key, and no name or secret twice. */
    static Result<List<KeyConfig>> bindAll(ConfigNode node) {
        return Values.items(node).then(items -> {
            Binding binding = new Binding();
            List<KeyConfig> keys = new ArrayList<>();
            Set<String> names = new HashSet<>();
            Set<String> secrets = new HashSet<>();
            for (ConfigNode item : items) {
                Optional<KeyConfig> key = binding.take(bind(item));
                if (key.isEmpty()) {
                    continue;
                }
                if (!names.add(key.get().name())) {
                    binding.add(Problem.atField(item, "name", "duplicate key name '" + key.get().name() + "'"));
                }
                if (!secrets.add(key.get().key())) {
                    binding.add(Problem.atField(item, "key", "the same key is listed twice"));
                }
                keys.add(key.get());
            }
            return binding.result(() -> List.copyOf(keys));
        });
    }
}
