package dev.junction.routing;

import java.util.Objects;

/**
 * The next place to send a request: a candidate and the key to use.
 *
 * @param candidate channel and upstream model name
 * @param key key state to report the outcome against
 * @param forced true when every candidate was resting and this one frees soonest
 * @param reservation what the attempt took from the channel's limits; settle it when the attempt ends
 */
public record Pick(Candidate candidate, KeyState key, boolean forced, Reservation reservation) {

    public Pick {
        Objects.requireNonNull(reservation, "reservation");
    }

    public Pick(Candidate candidate, KeyState key, boolean forced) {
        this(candidate, key, forced, Reservation.NONE);
    }

    public Channel channel() {
        return candidate.channel();
    }
}
