package dev.junction.governance;

import java.net.InetAddress;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * An IP address range: one address ({@code 203.0.113.7}, {@code 2001:db8::1}) or a CIDR block
 * ({@code 10.0.0.0/8}, {@code 2001:db8::/32}). An IPv4 client reached over IPv6 as a mapped
 * address ({@code ::ffff:10.1.2.3}) matches the IPv4 range.
 *
 * @param network the range's address bytes (4 or 16)
 * @param prefix how many leading bits must match
 */
public record AddressRange(byte[] network, int prefix) {

    public AddressRange {
        network = network.clone();
        if (network.length != 4 && network.length != 16) {
            throw new IllegalArgumentException("not an IPv4 or IPv6 address");
        }
        if (prefix < 0 || prefix > network.length * 8) {
            throw new IllegalArgumentException("the prefix length must be 0 to " + network.length * 8);
        }
    }

    /** The range {@code text} spells, or empty when it is not an address or CIDR block. */
    public static Optional<AddressRange> parse(String text) {
        Objects.requireNonNull(text, "text");
        String value = text.strip();
        int slash = value.indexOf('/');
        try {
            byte[] network = InetAddress.ofLiteral(slash < 0 ? value : value.substring(0, slash)).getAddress();
            int prefix = slash < 0 ? network.length * 8 : Integer.parseInt(value.substring(slash + 1));
            return Optional.of(new AddressRange(network, prefix));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** Whether {@code address} (4 or 16 bytes) is inside the range. */
    public boolean contains(byte[] address) {
        byte[] candidate = address;
        if (candidate.length == 16 && network.length == 4 && mappedIpv4(candidate)) {
            candidate = Arrays.copyOfRange(candidate, 12, 16);
        }
        if (candidate.length != network.length) {
            return false;
        }
        int whole = prefix / 8;
        for (int i = 0; i < whole; i++) {
            if (candidate[i] != network[i]) {
                return false;
            }
        }
        int rest = prefix % 8;
        if (rest == 0) {
            return true;
        }
        int mask = (0xff << (8 - rest)) & 0xff;
        return (candidate[whole] & mask) == (network[whole] & mask);
    }

    private static boolean mappedIpv4(byte[] address) {
        for (int i = 0; i < 10; i++) {
            if (address[i] != 0) {
                return false;
            }
        }
        return address[10] == (byte) 0xff && address[11] == (byte) 0xff;
    }

    @Override
    public byte[] network() {
        return network.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof AddressRange range && range.prefix == prefix && Arrays.equals(range.network, network);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(network) + prefix;
    }

    @Override
    public String toString() {
        try {
            String address = InetAddress.getByAddress(network).getHostAddress();
            return prefix == network.length * 8 ? address : address + "/" + prefix;
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
