package dev.junction.metrics;

import java.util.List;

/**
 * The channels' routing state at the moment of a scrape, read through this small interface so the
 * metrics do not depend on how routing keeps it (the app wires it from the router).
 */
@FunctionalInterface
public interface ChannelStates {

    /** Reports no channels. */
    ChannelStates NONE = List::of;

    /** Every channel's state now. */
    List<ChannelState> now();
}
