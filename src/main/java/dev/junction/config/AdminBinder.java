package dev.junction.config;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The {@code admin:} section and its {@code login:} limits. */
final class AdminBinder {

    static final Set<String> FIELDS = Set.of("password", "trusted_proxies", "session_ttl", "login",
            "allow_private_base_urls");
    static final Set<String> LOGIN_FIELDS = Set.of("max_failures", "lockout", "max_failures_per_address",
            "address_window");
    /** The shortest owner password accepted (the admin API asks the same). */
    static final int MIN_PASSWORD = 8;

    private AdminBinder() {
    }

    static Result<AdminConfig> bind(ConfigNode node) {
        Binding binding = new Binding();
        Fields fields = binding.fields(node, FIELDS);
        AdminConfig d = AdminConfig.DEFAULT;
        Optional<String> password = fields.read("password", AdminBinder::password).flatMap(p -> p);
        List<String> proxies = fields.read("trusted_proxies", AdminBinder::proxies, d.trustedProxies());
        Duration ttl = fields.read("session_ttl", Values::positiveDuration, d.sessionTtl());
        boolean allowPrivate = fields.read("allow_private_base_urls", Values::bool, d.allowPrivateBaseUrls());
        int[] counts = {d.maxFailures(), d.maxFailuresPerAddress()};
        Duration[] durations = {d.lockout(), d.addressWindow()};
        fields.get("login").ifPresent(login -> {
            Fields limits = binding.fields(login, LOGIN_FIELDS);
            counts[0] = limits.read("max_failures", n -> Values.integer(n, 1), d.maxFailures());
            durations[0] = limits.read("lockout", Values::positiveDuration, d.lockout());
            counts[1] = limits.read("max_failures_per_address", n -> Values.integer(n, 1), d.maxFailuresPerAddress());
            durations[1] = limits.read("address_window", Values::positiveDuration, d.addressWindow());
        });
        return binding.result(() -> new AdminConfig(password, proxies, ttl, counts[0], durations[0], counts[1],
                durations[1], allowPrivate));
    }

    /** Empty (e.g. {@code ${JUNCTION_ADMIN_PASSWORD:-}}) counts as not given. */
    private static Result<Optional<String>> password(ConfigNode node) {
        return Values.text(node).then(text -> {
            if (text.isEmpty()) {
                return Result.ok(Optional.empty());
            }
            return text.length() < MIN_PASSWORD
                    ? Result.problem(node, "the admin password must be at least " + MIN_PASSWORD + " characters")
                    : Result.ok(Optional.of(text));
        });
    }

    private static Result<List<String>> proxies(ConfigNode node) {
        return Values.textList(node).then(list -> {
            List<Problem> problems = new ArrayList<>();
            for (String entry : list) {
                if (!isAddressOrRange(entry)) {
                    problems.add(Problem.at(node, "'" + entry
                            + "' is not an IP address or CIDR range (e.g. 10.0.0.0/8, 127.0.0.1, ::1)"));
                }
            }
            return problems.isEmpty() ? Result.ok(list) : Result.failed(problems);
        });
    }

    static boolean isAddressOrRange(String text) {
        int slash = text.indexOf('/');
        String address = slash < 0 ? text : text.substring(0, slash);
        try {
            int bits = InetAddress.ofLiteral(address).getAddress().length * 8;
            if (slash >= 0) {
                int prefix = Integer.parseInt(text.substring(slash + 1));
                return prefix >= 0 && prefix <= bits;
            }
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
