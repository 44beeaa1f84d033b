package dev.junction.http;

import java.time.Duration;
import java.util.Objects;

/**
 * How long the client-facing server waits for slow clients, how many connections one client
 * address may hold, and how long a stop waits for requests in progress.
 *
 * @param headerTimeout longest time from a request's first byte to the end of its headers
 * @param bodyTimeout time a request body gets before {@code bodyMinRate} is enforced: the whole body
 *     must arrive within {@code bodyTimeout + received / bodyMinRate}
 * @param bodyMinRate bytes per second a long body must keep up on average
 * @param maxConnectionsPerAddress most open connections from one client address; 0 for no cap
 * @param capLoopback whether connections from loopback (this host, a local reverse proxy) count
 *     toward the cap
 * @param shutdownGrace how long a stop lets requests in progress (streams included) finish before
 *     ending them with an error in the client's API
 */
public record ServerLimits(Duration headerTimeout, Duration bodyTimeout, long bodyMinRate,
        int maxConnectionsPerAddress, boolean capLoopback, Duration shutdownGrace) {

    public static final Duration DEFAULT_HEADER_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_BODY_TIMEOUT = Duration.ofSeconds(30);
    public static final long DEFAULT_BODY_MIN_RATE = 64 * 1024;
    public static final int DEFAULT_MAX_CONNECTIONS_PER_ADDRESS = 256;
    public static final Duration DEFAULT_SHUTDOWN_GRACE = Duration.ofSeconds(30);

    public ServerLimits {
        requirePositive(headerTimeout, "headerTimeout");
        requirePositive(bodyTimeout, "bodyTimeout");
        Objects.requireNonNull(shutdownGrace, "shutdownGrace");
        if (shutdownGrace.isNegative()) {
            throw new IllegalArgumentException("shutdownGrace must not be negative");
        }
        if (bodyMinRate <= 0) {
            throw new IllegalArgumentException("bodyMinRate must be positive");
        }
        if (maxConnectionsPerAddress < 0) {
            throw new IllegalArgumentException("maxConnectionsPerAddress must not be negative");
        }
    }

    /** 10 s for headers, 30 s plus 64 KiB/s for bodies, 256 connections per remote address, 30 s grace. */
    public static ServerLimits defaults() {
        return new ServerLimits(DEFAULT_HEADER_TIMEOUT, DEFAULT_BODY_TIMEOUT, DEFAULT_BODY_MIN_RATE,
                DEFAULT_MAX_CONNECTIONS_PER_ADDRESS, false, DEFAULT_SHUTDOWN_GRACE);
    }

    ServerLimits withShutdownGrace(Duration grace) {
        return new ServerLimits(headerTimeout, bodyTimeout, bodyMinRate, maxConnectionsPerAddress, capLoopback,
                grace);
    }

    /** The longest a body of {@code received} bytes may have taken so far, in nanoseconds. */
    long bodyAllowanceNanos(long received) {
        double seconds = (double) received / bodyMinRate;
        return bodyTimeout.toNanos() + (long) (seconds * 1e9);
    }

    private static void requirePositive(Duration value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isZero() || value.isNegative()) {
            throw new IllegalArgumentException(name + " must be positive");
        }
    }
}
