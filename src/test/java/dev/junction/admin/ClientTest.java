package dev.junction.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.http.Downstream;
import dev.junction.http.Exchange;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which client address and scheme the admin API believes. */
class ClientTest {

    private record Peer(String remoteAddress, boolean secure, Map<String, String> headers) implements Exchange {
        @Override
        public String requestId() {
            return "r";
        }

        @Override
        public String method() {
            return "GET";
        }

        @Override
        public String path() {
            return "/api/me";
        }

        @Override
        public Optional<String> query(String name) {
            return Optional.empty();
        }

        @Override
        public Optional<String> header(String name) {
            return Optional.ofNullable(headers.get(name));
        }

        @Override
        public byte[] body() {
            return new byte[0];
        }

        @Override
        public Downstream downstream() {
            throw new UnsupportedOperationException();
        }
    }

    private static final Map<String, String> FORWARDED = Map.of("X-Forwarded-For", "198.51.100.7, 10.1.2.3",
            "X-Forwarded-Proto", "https");

    @Test
    void withNoTrustedProxyTheHeadersAreIgnored() {
        Client client = Client.Proxies.of(List.of()).of(new Peer("10.0.0.5", false, FORWARDED));
        assertThat(client).isEqualTo(new Client("10.0.0.5", false));
    }

    @Test
    void behindTrustedProxiesTheNearestUntrustedHopIsTheClient() {
        Client client = Client.Proxies.of(List.of("10.0.0.0/8")).of(new Peer("10.0.0.5", false, FORWARDED));
        assertThat(client).isEqualTo(new Client("198.51.100.7", true));
    }

    @Test
    void aForgedLeftmostHopDoesNotWinOverTheHopTheProxySaw() {
        Client client = Client.Proxies.of(List.of("10.0.0.5")).of(new Peer("10.0.0.5", false,
                Map.of("X-Forwarded-For", "1.1.1.1, 203.0.113.50")));
        assertThat(client.address()).isEqualTo("203.0.113.50");
    }

    @Test
    void rangesMatchByPrefixOnIpv4AndIpv6() {
        Client.Proxies proxies = Client.Proxies.of(List.of("192.168.4.0/22", "fd00::/8", "127.0.0.1"));
        assertThat(proxies.trusts("192.168.7.255")).isTrue();
        assertThat(proxies.trusts("192.168.8.0")).isFalse();
        assertThat(proxies.trusts("fd12::1")).isTrue();
        assertThat(proxies.trusts("fe80::1")).isFalse();
        assertThat(proxies.trusts("127.0.0.1")).isTrue();
        assertThat(proxies.trusts("127.0.0.2")).isFalse();
        assertThat(proxies.trusts("not-an-ip")).isFalse();
    }

    @Test
    void tlsToTheGatewayItselfIsHttps() {
        assertThat(Client.Proxies.of(List.of()).of(new Peer("203.0.113.1", true, Map.of())).https()).isTrue();
    }
}
