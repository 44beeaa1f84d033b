package dev.junction.admin.alerts;

import dev.junction.store.AlertStore.AlertRow;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;

/** One notification: an alert fired, rose to a higher tier, or recovered; or a test of a webhook. */
public record Notice(Event event, AlertRow alert, Instant at) {

    /** What happened to the alert. */
    public enum Event {
        FIRING, ESCALATED, RECOVERED,
        /** A made-up alert sent by the webhook's test button, nothing that happened. */
        TEST;

        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public Notice {
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(alert, "alert");
        Objects.requireNonNull(at, "at");
    }

    public Tier tier() {
        return Tier.parse(alert.tier()).orElse(Tier.INFO);
    }
}
