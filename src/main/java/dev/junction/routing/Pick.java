package dev.junction.routing;

/**
 * The next place to send a request: a candidate and the key to use.
 *
 * @param candidate channel and upstream model name
 * @param key key state to report the outcome against
 * @param forced true when every candidate was resting and this one frees soonest
 */
public record Pick(Candidate candidate, KeyState key, boolean forced) {

    public Channel channel() {
        return candidate.channel();
    }
}
