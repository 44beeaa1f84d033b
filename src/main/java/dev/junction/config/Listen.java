package dev.junction.config;

import java.util.Optional;

/**
 * A bind address: {@code host:port}, {@code :port} or {@code port}.
 *
 * @param host interface to bind, {@code 0.0.0.0} for all
 * @param port TCP port, 0 for any free port
 */
public record Listen(String host, int port) {

    public static final Listen DEFAULT = new Listen("0.0.0.0", 3000);

    /** Parses the config-file and command-line spelling; empty when it is not an address. */
    public static Optional<Listen> parse(String text) {
        String value = text.strip();
        int colon = value.lastIndexOf(':');
        String host = colon < 0 ? DEFAULT.host() : value.substring(0, colon);
        String port = colon < 0 ? value : value.substring(colon + 1);
        if (host.isEmpty()) {
            host = DEFAULT.host();
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        try {
            int number = Integer.parseInt(port);
            return number < 0 || number > 65535 ? Optional.empty() : Optional.of(new Listen(host, number));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    @Override
    public String toString() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
