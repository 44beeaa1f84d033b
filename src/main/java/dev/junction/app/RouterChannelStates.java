package dev.junction.app;

import dev.junction.core.Clock;
import dev.junction.metrics.ChannelState;
import dev.junction.metrics.ChannelStates;
import dev.junction.routing.Channel;
import dev.junction.routing.KeyState;
import dev.junction.routing.Router;
import java.util.ArrayList;
import java.util.List;

/** The router's channels as the metrics' channel gauges read them. */
record RouterChannelStates(Router router, Clock clock) implements ChannelStates {

    @Override
    public List<ChannelState> now() {
        long now = clock.nanoTime();
        List<ChannelState> states = new ArrayList<>();
        for (Channel channel : router.channels()) {
            int disabled = 0;
            for (KeyState key : channel.keys()) {
                if (key.disabled()) {
                    disabled++;
                }
            }
            // A key's rest after a 429 is not readable through routing's public API (KeyState keeps it
            // package-private), so no key is reported cooling until routing's state is wired here.
            int cooling = 0;
            states.add(new ChannelState(channel.name(), channel.healthy(),
                    ChannelState.Circuit.valueOf(channel.circuit(now).name()), channel.keys().size(), cooling,
                    disabled));
        }
        return states;
    }
}
