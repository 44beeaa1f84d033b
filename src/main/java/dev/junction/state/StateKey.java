package dev.junction.state;

import java.util.Objects;

/**
 * What a piece of state belongs to: a channel (by its stable id), optionally one of its provider
 * keys (by a stable key id, never the secret) and optionally an upstream model. Empty strings
 * stand for "the whole channel" and "every model".
 *
 * @param channel stable channel id
 * @param key provider key id within the channel, or empty
 * @param model upstream model name, or empty
 */
public record StateKey(long channel, String key, String model) {

    public StateKey {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(model, "model");
    }

    /** The channel as a whole. */
    public static StateKey channel(long channel) {
        return new StateKey(channel, "", "");
    }

    /** One provider key of a channel. */
    public static StateKey key(long channel, String key) {
        return new StateKey(channel, key, "");
    }

    /** The same subject narrowed to one upstream model. */
    public StateKey withModel(String upstreamModel) {
        return new StateKey(channel, key, upstreamModel);
    }

    @Override
    public String toString() {
        return "StateKey[" + channel + (key.isEmpty() ? "" : "/" + key) + (model.isEmpty() ? "" : "/" + model) + "]";
    }
}
