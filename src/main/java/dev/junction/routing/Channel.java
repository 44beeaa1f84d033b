package dev.junction.routing;

import dev.junction.config.ChannelConfig;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A channel at run time: its configuration plus the state routing keeps for it. Provider keys are
 * handed out round-robin and are only ever shown by their last four characters.
 */
public final class Channel {

    private final ChannelConfig config;
    private final AtomicInteger nextKey = new AtomicInteger();

    Channel(ChannelConfig config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    public ChannelConfig config() {
        return config;
    }

    public String name() {
        return config.name();
    }

    /** The key for the next call, or empty for an upstream without auth. */
    public Optional<ProviderKey> nextKey() {
        int count = config.apiKeys().size();
        if (count == 0) {
            return Optional.empty();
        }
        int index = Math.floorMod(nextKey.getAndIncrement(), count);
        return Optional.of(new ProviderKey(config.apiKeys().get(index)));
    }

    @Override
    public String toString() {
        return "Channel[" + config.name() + "]";
    }
}
