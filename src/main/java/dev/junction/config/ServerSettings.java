package dev.junction.config;

import java.time.Duration;
import java.util.Objects;

/**
 * The {@code server:} section: how long the client-facing server waits for slow clients, how many
 * connections one client address may hold, and how long a stop lets requests in progress finish.
 *
 * @param headerTimeout longest time from a request's first byte to the end of its headers
 * @param bodyTimeout time a request body gets before {@code bodyMinRate} is enforced
 * @param bodyMinRate bytes per second a long body must keep up on average
 * @param maxConnectionsPerIp most open connections from one client address; 0 for no cap
 * @param capLoopback whether connections from this host count toward that cap
 * @param shutdownGrace how long a stop lets requests in progress finish
 */
public record ServerSettings(Duration headerTimeout, Duration bodyTimeout, long bodyMinRate, int maxConnectionsPerIp,
        boolean capLoopback, Duration shutdownGrace) {

    /** 10 s for headers, 30 s plus 64 KiB/s for bodies, 256 connections per address (loopback not counted), 30 s grace. */
    public static final ServerSettings DEFAULT = new ServerSettings(Duration.ofSeconds(10), Duration.ofSeconds(30),
            64 * 1024, 256, false, Duration.ofSeconds(30));

    public ServerSettings {
        Objects.requireNonNull(headerTimeout, "headerTimeout");
        Objects.requireNonNull(bodyTimeout, "bodyTimeout");
        Objects.requireNonNull(shutdownGrace, "shutdownGrace");
    }
}
