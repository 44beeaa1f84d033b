package dev.junction.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.testing.FakeOpenAi;
import dev.junction.testing.PostgresSchema;
import dev.junction.testing.TestGateway;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Keys, channels, reload and versions on PostgreSQL (127.0.0.1:5432, database test), each test in a fresh schema. */
class RuntimeConfigPostgresTest extends RuntimeConfigContract {

    @RegisterExtension
    final PostgresSchema postgres = new PostgresSchema("junction_test");

    @Override
    String databaseUrl() {
        return postgres.url();
    }

    /**
     * PostgreSQL has no database file to read: every row of every table of the schema, as text, is
     * what an attacker with the database (or a dump) holds.
     */
    @Test
    void noTableHoldsAGatewayKeyAProviderKeyOrAPasswordInTheClear() throws Exception {
        FakeOpenAi main = fake(PROVIDER_KEY);
        start("channels:\n" + TestGateway.channel("file-channel", main, "[other]", ""));
        AdminClient owner = setUp();
        createUser(owner, "mia", "member");
        AdminClient member = signedIn("mia");
        var created = createKey(owner, "{\"name\":\"laptop\"}");
        String secret = created.path("key").asString();
        long id = owner.post("/api/channels", channelJson("made-here", main, "[\"chat\"]")).id();
        String rotated = owner.post("/api/keys/" + created.path("id").asLong() + "/rotate", null).json().path("key")
                .asString();
        assertThat(chat(rotated).statusCode()).isEqualTo(200);
        assertThat(owner.patch("/api/channels/" + id, "{\"api_keys\":[\"" + PROVIDER_KEY + "\",\"sk-second-provider-"
                + "key-77\"]}").status()).isEqualTo(200);
        String token = owner.post("/api/tokens", "{\"name\":\"ci\"}").json().path("token").asString();
        List<String> secrets = List.of(secret, secret.substring(7), rotated, rotated.substring(7), PROVIDER_KEY,
                "sk-second-provider-key-77", TestGateway.KEY, "sk-fake-file-channel",
                OWNER_PASSWORD, PASSWORD, token, token.substring(4),
                owner.cookie().substring("junction_session=".length()), owner.csrf(),
                member.cookie().substring("junction_session=".length()), member.csrf());
        gateway.close();

        StringBuilder rows = new StringBuilder();
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/test", "root", "");
                Statement s = c.createStatement()) {
            List<String> tables = new ArrayList<>();
            try (var rs = s.executeQuery("SELECT table_name FROM information_schema.tables WHERE table_schema = '"
                    + postgres.schema() + "'")) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
            assertThat(tables).contains("gateway_keys", "channels", "users", "sessions", "admin_tokens");
            for (String table : tables) {
                try (var rs = s.executeQuery("SELECT CAST(t AS text) FROM " + postgres.schema() + "." + table + " t")) {
                    while (rs.next()) {
                        rows.append(rs.getString(1)).append('\n');
                    }
                }
            }
        }
        assertThat(rows.toString()).contains("made-here").contains("$argon2id$").contains(rotated.substring(0, 7));
        for (String plain : secrets) {
            assertThat(rows.toString()).as("the database holds a secret in the clear").doesNotContain(plain);
        }
    }
}
