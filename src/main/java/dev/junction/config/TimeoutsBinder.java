package dev.junction.config;

import java.util.Set;

/** A channel's {@code timeout:} mapping; each limit is a positive duration with a default. */
final class TimeoutsBinder {

    static final Set<String> FIELDS = Set.of("connect", "first_byte", "idle", "total", "first_token");

    private TimeoutsBinder() {
    }

    static Result<Timeouts> bind(ConfigNode node) {
        Binding binding = new Binding();
        Fields fields = binding.fields(node, FIELDS);
        Timeouts d = Timeouts.DEFAULT;
        Timeouts timeouts = new Timeouts(
                fields.read("connect", Values::positiveDuration, d.connect()),
                fields.read("first_byte", Values::positiveDuration, d.firstByte()),
                fields.read("idle", Values::positiveDuration, d.idle()),
                fields.read("total", Values::positiveDuration, d.total()),
                fields.read("first_token", Values::positiveDuration, d.firstToken()));
        return binding.result(() -> timeouts);
    }
}
