package dev.junction.routing;

import dev.junction.config.ChannelConfig;
import java.util.Objects;

/**
 * A channel as declared (in the file or, later, the dashboard) with its stable id. The id, not the
 * name, ties the channel's state (cooldowns, circuit, suspensions) and its usage history together
 * across routing snapshots, reloads and renames.
 *
 * @param id stable id, unique among the declarations of one snapshot
 * @param config what the channel is and how to reach it
 */
public record DeclaredChannel(long id, ChannelConfig config) {

    public DeclaredChannel {
        Objects.requireNonNull(config, "config");
    }
}
