package dev.junction.admin;

import dev.junction.http.Exchange;
import java.net.InetAddress;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Where a request came from as far as the admin API can tell: the client's address and whether
 * it used HTTPS. Forwarding headers ({@code X-Forwarded-For}, {@code X-Forwarded-Proto}) count
 * only when the peer is a trusted proxy; by default none is, so a client cannot forge its address
 * past the sign-in throttle.
 *
 * @param address the client's IP address
 * @param https whether the client's connection (to the gateway or to the trusted proxy) used TLS
 */
record Client(String address, boolean https) {

    Client {
        Objects.requireNonNull(address, "address");
    }

    /** Trusted proxy addresses and CIDR ranges. */
    record Proxies(List<Range> ranges) {

        Proxies {
            ranges = List.copyOf(ranges);
        }

        static Proxies of(List<String> entries) {
            return new Proxies(entries.stream().map(Range::parse).toList());
        }

        boolean trusts(String address) {
            if (ranges.isEmpty() || address.isEmpty()) {
                return false;
            }
            byte[] bytes;
            try {
                bytes = InetAddress.ofLiteral(address).getAddress();
            } catch (IllegalArgumentException e) {
                return false;
            }
            return ranges.stream().anyMatch(r -> r.contains(bytes));
        }

        /** Where {@code exchange} came from, believing forwarding headers only from a trusted peer. */
        Client of(Exchange exchange) {
            String peer = exchange.remoteAddress();
            if (!trusts(peer)) {
                return new Client(peer, exchange.secure());
            }
            String address = peer;
            String forwarded = exchange.header("X-Forwarded-For").orElse("");
            String[] hops = forwarded.split(",");
            // The nearest untrusted hop is the client; hops further left could be anything the client sent.
            for (int i = hops.length - 1; i >= 0; i--) {
                String hop = hops[i].strip();
                if (hop.isEmpty()) {
                    continue;
                }
                address = hop;
                if (!trusts(hop)) {
                    break;
                }
            }
            boolean https = exchange.secure() || exchange.header("X-Forwarded-Proto")
                    .map(p -> p.split(",")[0].strip().toLowerCase(Locale.ROOT).equals("https")).orElse(false);
            return new Client(address, https);
        }
    }

    /** An address range: {@code 10.0.0.0/8}, or one address. */
    record Range(byte[] network, int prefix) {

        static Range parse(String text) {
            int slash = text.indexOf('/');
            byte[] network = InetAddress.ofLiteral(slash < 0 ? text : text.substring(0, slash)).getAddress();
            int prefix = slash < 0 ? network.length * 8 : Integer.parseInt(text.substring(slash + 1));
            return new Range(network, prefix);
        }

        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            int whole = prefix / 8;
            for (int i = 0; i < whole; i++) {
                if (address[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefix % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xff << (8 - rest)) & 0xff;
            return (address[whole] & mask) == (network[whole] & mask);
        }
    }
}
