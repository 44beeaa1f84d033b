package dev.junction.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.app.Gateway;
import dev.junction.config.ConfigLoader;
import dev.junction.config.GatewayConfig;
import dev.junction.testing.TestGateway;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The admin API on SQLite, plus what only a file shows: no secret in its bytes. */
class AdminApiSqliteTest extends AdminApiContract {

    @TempDir
    Path dir;

    @Override
    String databaseUrl() {
        return "sqlite:" + dir.resolve("junction.db");
    }

    @Test
    void theDatabaseFileHoldsNoPasswordTokenOrSessionInTheClear() throws Exception {
        start("");
        AdminClient owner = setUp();
        createUser(owner, "mia", "member");
        AdminClient member = signedIn("mia");
        String token = owner.post("/api/tokens", "{\"name\":\"ci\"}").json().path("token").asString();
        List<String> secrets = List.of(OWNER_PASSWORD, PASSWORD, token, token.substring(4),
                owner.cookie().substring("junction_session=".length()), owner.csrf(),
                member.cookie().substring("junction_session=".length()), member.csrf());
        gateway.close();
        gateway = null;

        StringBuilder bytes = new StringBuilder();
        List<Path> files = new ArrayList<>();
        try (var listing = Files.list(dir)) {
            listing.filter(p -> p.getFileName().toString().startsWith("junction.db")).forEach(files::add);
        }
        for (Path file : files) {
            bytes.append(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1));
        }
        assertThat(bytes.toString()).contains("$argon2id$").contains(token.substring(0, 8));
        for (String secret : secrets) {
            assertThat(bytes.toString()).as("the database holds a secret in the clear").doesNotContain(secret);
        }
    }

    @Test
    void theAdminPasswordVariableAloneSeedsTheOwner() throws Exception {
        GatewayConfig config = ConfigLoader.withEnvironment(Map.<String, String>of()::get).parse("t.yaml",
                "listen: 127.0.0.1:0\ndatabase: sqlite:" + dir.resolve("seed.db") + "\n");
        Map<String, String> env = Map.of("JUNCTION_MASTER_KEY", TestGateway.MASTER, "JUNCTION_ADMIN_PASSWORD",
                "from-the-environment");
        try (Gateway seeded = Gateway.start(config, env::get, clock, new SplittableRandom(1))) {
            AdminClient admin = new AdminClient("http://127.0.0.1:" + seeded.port());
            assertThat(admin.get("/api/setup").json().path("needed").asBoolean()).isFalse();
            assertThat(admin.login("admin", "from-the-environment").status()).isEqualTo(200);
        }
    }

    @Test
    void cookiesAreSecureWhenATrustedProxySaysHttps() throws Exception {
        start("""
                admin:
                  trusted_proxies: [127.0.0.0/8]
                """);
        AdminClient owner = client().header("X-Forwarded-Proto", "https").header("X-Forwarded-For", "203.0.113.9");
        AdminClient.Response created = owner.post("/api/setup", "{\"name\":\"root\",\"password\":\"" + OWNER_PASSWORD
                + "\"}");
        assertThat(created.raw().headers().firstValue("Set-Cookie").orElseThrow()).contains("; Secure");
        owner.keepSession(created);
        assertThat(owner.get("/api/audit").json().path("data").get(0).path("ip").asString())
                .isEqualTo("203.0.113.9");
    }

    @Test
    void forwardingHeadersFromAnUntrustedPeerAreIgnored() throws Exception {
        start("");
        AdminClient owner = client().header("X-Forwarded-Proto", "https").header("X-Forwarded-For", "203.0.113.9");
        AdminClient.Response created = owner.post("/api/setup", "{\"name\":\"root\",\"password\":\"" + OWNER_PASSWORD
                + "\"}");
        assertThat(created.raw().headers().firstValue("Set-Cookie").orElseThrow()).doesNotContain("Secure");
        owner.keepSession(created);
        assertThat(owner.get("/api/audit").json().path("data").get(0).path("ip").asString())
                .isEqualTo("127.0.0.1");
    }
}
