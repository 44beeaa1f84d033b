package dev.junction.admin.alerts;

import java.util.Objects;
import java.util.Optional;

/**
 * What one evaluation of a rule found over its threshold, for one subject.
 *
 * @param subject what it is about: {@code model:NAME}, {@code channel:NAME}, {@code key:ID},
 *     {@code user:ID}, {@code team:ID} or {@code gateway}
 * @param model the public model it is about, when it is about one (exceptions apply per model)
 * @param value the measured value, in the rule kind's unit
 * @param threshold the threshold it reached (the rule's, or an approved exception's)
 */
record Finding(Rule rule, String subject, Optional<String> model, double value, double threshold,
        String summary, Reach reach) {

    public Finding {
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(summary, "summary");
        Objects.requireNonNull(reach, "reach");
    }

    Finding withThreshold(double custom) {
        return new Finding(rule, subject, model, value, custom, summary, reach);
    }
}
