package dev.junction.app;

import dev.junction.core.Clock;
import dev.junction.metrics.ChannelState;
import dev.junction.metrics.ChannelStates;
import dev.junction.routing.Channel;
import dev.junction.routing.KeyState;
import dev.junction.routing.Router;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The router's channels as the metrics' channel gauges read them. */
record RouterChannelStates(Router router, Clock clock) implements ChannelStates {

    @Override
    public List<ChannelState> now() {
        Instant now = clock.now();
        List<ChannelState> states = new ArrayList<>();
        for (Channel channel : router.channels()) {
            int disabled = 0;
            int cooling = 0;
            for (KeyState key : channel.keys()) {
                if (key.disabled()) {
                    disabled++;
                } else if (key.cooling(now)) {
                    cooling++;
                }
            }
            states.add(new ChannelState(channel.name(), channel.healthy(),
                    ChannelState.Circuit.valueOf(channel.circuit().name()), channel.keys().size(), cooling,
                    disabled));
        }
        return states;
    }
}
