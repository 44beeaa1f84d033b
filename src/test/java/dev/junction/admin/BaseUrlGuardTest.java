package dev.junction.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.testing.TestGateway;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Channels made through the admin API (the dashboard's forms post to it) cannot point at the
 * machine's metadata service or other link-local addresses, and reach loopback and private
 * addresses only with {@code admin.allow_private_base_urls}.
 */
class BaseUrlGuardTest {

    /** Names as a resolver would answer them, so no test depends on the machine's DNS. */
    private static final Map<String, String> DNS = Map.of(
            "api.example.com", "93.184.216.34",
            "rebind.example.com", "169.254.169.254",
            "lan.example.com", "192.168.1.20",
            "v6meta.example.com", "fd00:ec2::254");

    private static final BaseUrlGuard.Resolver RESOLVER = host -> {
        String address = DNS.get(host);
        if (address != null) {
            return new InetAddress[] {InetAddress.ofLiteral(address)};
        }
        try {
            return new InetAddress[] {InetAddress.ofLiteral(host)};
        } catch (IllegalArgumentException e) {
            throw new UnknownHostException(host);
        }
    };

    @TempDir
    Path dir;

    private TestGateway gateway;

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://169.254.169.254/latest", "http://169.254.170.2/v2", "http://[fe80::1]:11434",
        "http://[fd00:ec2::254]/", "http://metadata.google.internal/computeMetadata/v1",
        "http://METADATA.GOOGLE.INTERNAL./v1", "http://metadata/", "http://100.100.100.200/",
        "http://168.63.129.16/", "http://rebind.example.com/v1", "http://v6meta.example.com/",
        "http://[::ffff:169.254.169.254]/", "http://[64:ff9b::a9fe:a9fe]/"})
    void linkLocalAndMetadataAddressesAreRefusedEvenWithPrivateAddressesAllowed(String url) {
        assertThat(BaseUrlGuard.of(true, RESOLVER).problem(URI.create(url)))
                .hasValueSatisfying(problem -> assertThat(problem).contains("metadata"));
        assertThat(BaseUrlGuard.of(false, RESOLVER).problem(URI.create(url))).isPresent();
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://127.0.0.1:11434", "http://localhost:11434/v1", "http://10.1.2.3/v1",
        "http://172.16.0.9/v1", "http://192.168.1.20:8000/v1", "http://lan.example.com/v1", "http://[::1]:8080",
        "http://[fd12:3456::1]/", "http://100.101.102.103:11434", "http://0.0.0.0:11434"})
    void privateAddressesNeedTheSetting(String url) {
        BaseUrlGuard.Resolver resolver = host -> host.equals("localhost")
                ? new InetAddress[] {InetAddress.ofLiteral("127.0.0.1")} : RESOLVER.resolve(host);
        assertThat(BaseUrlGuard.of(false, resolver).problem(URI.create(url)))
                .hasValueSatisfying(problem -> assertThat(problem).contains("admin.allow_private_base_urls"));
        assertThat(BaseUrlGuard.of(true, resolver).problem(URI.create(url))).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://api.openai.com/v1", "https://api.example.com/v1", "http://93.184.216.34/",
        "https://unresolvable.invalid/v1"})
    void publicAndUnresolvableHostsPass(String url) {
        BaseUrlGuard.Resolver resolver = host -> host.equals("api.openai.com")
                ? new InetAddress[] {InetAddress.ofLiteral("162.159.140.245")} : RESOLVER.resolve(host);
        assertThat(BaseUrlGuard.of(false, resolver).problem(URI.create(url))).isEmpty();
    }

    @Test
    void theAdminApiRefusesAMetadataBaseUrlOnCreateAndEdit() throws Exception {
        gateway = TestGateway.start(dir, "admin:\n  allow_private_base_urls: true\n");
        AdminClient owner = owner();

        AdminClient.Response metadata = owner.post("/api/channels", channel("http://169.254.169.254/latest"));
        assertThat(metadata.status()).as(metadata.body()).isEqualTo(400);
        assertThat(metadata.json().path("error").path("param").asString()).isEqualTo("base_url");
        assertThat(metadata.json().path("error").path("message").asString()).contains("metadata");
        AdminClient.Response google = owner.post("/api/channels", channel("http://metadata.google.internal/v1"));
        assertThat(google.status()).isEqualTo(400);

        AdminClient.Response lan = owner.post("/api/channels", channel("http://127.0.0.1:11434/v1"));
        assertThat(lan.status()).as(lan.body()).isEqualTo(201);
        AdminClient.Response moved = owner.patch("/api/channels/" + lan.id(),
                "{\"base_url\":\"http://[fd00:ec2::254]/v1\"}");
        assertThat(moved.status()).as(moved.body()).isEqualTo(400);
        assertThat(owner.get("/api/channels/" + lan.id()).json().path("base_url").asString())
                .isEqualTo("http://127.0.0.1:11434/v1");
        assertThat(owner.get("/api/channels").body()).doesNotContain("169.254").doesNotContain("metadata.google");
    }

    @Test
    void byDefaultAChannelMadeThroughTheAdminApiCannotReachPrivateAddresses() throws Exception {
        gateway = TestGateway.start(dir, "admin:\n  session_ttl: 1h\n");
        AdminClient owner = owner();

        AdminClient.Response local = owner.post("/api/channels", channel("http://127.0.0.1:11434/v1"));
        assertThat(local.status()).as(local.body()).isEqualTo(400);
        assertThat(local.json().path("error").path("message").asString())
                .contains("admin.allow_private_base_urls");
        AdminClient.Response lan = owner.post("/api/channels", channel("http://192.168.1.20:8000/v1"));
        assertThat(lan.status()).isEqualTo(400);
        assertThat(owner.post("/api/channels", channel("https://api.openai.com/v1")).status()).isEqualTo(201);
    }

    private AdminClient owner() throws Exception {
        AdminClient owner = new AdminClient(gateway.baseUrl());
        AdminClient.Response created = owner.post("/api/setup",
                "{\"name\":\"root\",\"password\":\"owner-password-1\"}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        owner.keepSession(created);
        return owner;
    }

    private static String channel(String baseUrl) {
        return "{\"name\":\"c" + Math.abs(baseUrl.hashCode()) + "\",\"type\":\"openai\",\"base_url\":\"" + baseUrl
                + "\",\"api_key\":\"sk-provider-0000000000000000\",\"models\":[\"m\"]}";
    }
}
