package dev.junction.admin;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Where a channel made through the admin API (or the dashboard, which uses it) may point. Whoever
 * may add a channel could otherwise make the gateway send requests to the machine's own services:
 * the cloud metadata service (instance credentials) above all. So a base URL whose host is, or
 * resolves to, a link-local or cloud-metadata address is refused, always; one on a loopback,
 * private (RFC 1918, unique-local, carrier-grade NAT as Tailscale uses) or unspecified address is
 * refused unless {@code admin.allow_private_base_urls} is on (Ollama or vLLM on this host or the
 * LAN). Channels of the config file are the operator's and are not checked.
 *
 * <p>The check runs when the channel is saved, on every address the host resolves to then (within
 * 2 s); a host that does not resolve passes (nothing can be reached through it yet). A name that later resolves
 * elsewhere (DNS rebinding) is not caught here: the network's own egress rules remain the defence
 * in depth for that.
 */
final class BaseUrlGuard {

    /** Host names of cloud metadata services (GCP, AWS, Azure, Alibaba, Tencent, OpenStack, …). */
    private static final Set<String> METADATA_HOSTS = Set.of("metadata.google.internal", "metadata.goog",
            "metadata", "instance-data", "instance-data.ec2.internal", "metadata.azure.internal",
            "metadata.tencentyun.com", "metadata.platformequinix.com");

    /** Metadata services on addresses that are not link-local. */
    private static final List<InetAddress> METADATA_ADDRESSES = List.of(
            InetAddress.ofLiteral("fd00:ec2::254"),     // AWS over IPv6
            InetAddress.ofLiteral("100.100.100.200"),   // Alibaba Cloud
            InetAddress.ofLiteral("168.63.129.16"));    // Azure's wire server

    /** Resolves a host name to its addresses (the system resolver; a test may give its own). */
    @FunctionalInterface
    interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    private final boolean allowPrivate;
    private final Resolver resolver;

    private BaseUrlGuard(boolean allowPrivate, Resolver resolver) {
        this.allowPrivate = allowPrivate;
        this.resolver = resolver;
    }

    /** How long a save waits for the host's addresses; a host not resolved by then counts as unresolvable. */
    private static final long RESOLVE_MILLIS = 2000;

    static BaseUrlGuard of(boolean allowPrivate) {
        return new BaseUrlGuard(allowPrivate, BaseUrlGuard::resolveInTime);
    }

    /** The system resolver, bounded: a slow DNS server must not hold an admin request for long. */
    private static InetAddress[] resolveInTime(String host) throws UnknownHostException {
        java.util.concurrent.FutureTask<InetAddress[]> lookup =
                new java.util.concurrent.FutureTask<>(() -> InetAddress.getAllByName(host));
        Thread.ofVirtual().name("base-url-resolve").start(lookup);
        try {
            return lookup.get(RESOLVE_MILLIS, java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof UnknownHostException unknown) {
                throw unknown;
            }
            throw new UnknownHostException(host);
        } catch (java.util.concurrent.TimeoutException e) {
            lookup.cancel(true);
            throw new UnknownHostException(host + " did not resolve within " + RESOLVE_MILLIS + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UnknownHostException(host);
        }
    }

    static BaseUrlGuard of(boolean allowPrivate, Resolver resolver) {
        return new BaseUrlGuard(allowPrivate, resolver);
    }

    /** Why {@code url} may not be a channel's base URL, or empty when it may. */
    Optional<String> problem(URI url) {
        String host = url.getHost();
        if (host == null || host.isEmpty()) {
            return Optional.empty(); // the binder refuses a URL without a host
        }
        host = host.toLowerCase(Locale.ROOT);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        while (host.endsWith(".")) {
            host = host.substring(0, host.length() - 1);
        }
        if (METADATA_HOSTS.contains(host)) {
            return Optional.of(metadata(host));
        }
        InetAddress[] addresses;
        try {
            addresses = resolver.resolve(host);
        } catch (UnknownHostException | SecurityException e) {
            return Optional.empty();
        }
        for (InetAddress address : addresses) {
            Optional<String> problem = problem(host, unwrap(address));
            if (problem.isPresent()) {
                return problem;
            }
        }
        return Optional.empty();
    }

    private Optional<String> problem(String host, InetAddress address) {
        String where = address.getHostAddress().equals(host) ? host : host + " (" + address.getHostAddress() + ")";
        if (METADATA_ADDRESSES.contains(address) || address.isLinkLocalAddress()) {
            return Optional.of(metadata(where));
        }
        if (!allowPrivate && isPrivate(address)) {
            return Optional.of("points at a loopback or private address, " + where + "; a channel made here may "
                    + "reach one only when the config file sets admin.allow_private_base_urls: true (e.g. for "
                    + "Ollama on this host or the LAN)");
        }
        return Optional.empty();
    }

    private static String metadata(String where) {
        return "points at a link-local or cloud-metadata address, " + where
                + "; a channel may not reach the machine's metadata service";
    }

    private static boolean isPrivate(InetAddress address) {
        if (address.isLoopbackAddress() || address.isSiteLocalAddress() || address.isAnyLocalAddress()
                || address.isMulticastAddress()) {
            return true;
        }
        byte[] bytes = address.getAddress();
        if (address instanceof Inet4Address) {
            int first = bytes[0] & 0xff;
            int second = bytes[1] & 0xff;
            return first == 0 || (first == 100 && second >= 64 && second < 128); // 0/8, 100.64/10 (CGNAT)
        }
        return (bytes[0] & 0xfe) == 0xfc; // fc00::/7, unique-local
    }

    /**
     * The IPv4 address inside an IPv4-compatible, NAT64 ({@code 64:ff9b::/96}) or 6to4-less mapped
     * IPv6 address, which reaches the same host; other addresses as they are.
     */
    static InetAddress unwrap(InetAddress address) {
        if (!(address instanceof Inet6Address)) {
            return address;
        }
        byte[] b = address.getAddress();
        boolean nat64 = (b[0] & 0xff) == 0x00 && (b[1] & 0xff) == 0x64 && (b[2] & 0xff) == 0xff
                && (b[3] & 0xff) == 0x9b && allZero(b, 4, 12);
        boolean compatible = allZero(b, 0, 12) && !allZero(b, 12, 16) && !address.isLoopbackAddress();
        if (nat64 || compatible) {
            try {
                return InetAddress.getByAddress(Arrays.copyOfRange(b, 12, 16));
            } catch (UnknownHostException e) {
                return address;
            }
        }
        return address;
    }

    private static boolean allZero(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }
}
