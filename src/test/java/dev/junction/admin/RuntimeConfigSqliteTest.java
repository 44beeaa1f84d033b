package dev.junction.admin;

import static dev.junction.testing.TestGateway.channel;
import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.testing.FakeOpenAi;
import dev.junction.testing.TestGateway;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Keys, channels, reload and versions on SQLite, plus what only a file shows: no key in its bytes. */
class RuntimeConfigSqliteTest extends RuntimeConfigContract {

    @Override
    String databaseUrl() {
        return "sqlite:" + dir.resolve("junction.db");
    }

    @Test
    void theDatabaseFileHoldsNoGatewayKeyOrProviderKeyInTheClear() throws Exception {
        FakeOpenAi main = fake(PROVIDER_KEY);
        start("channels:\n" + channel("file-channel", main, "[other]", ""));
        AdminClient owner = setUp();
        var created = createKey(owner, "{\"name\":\"laptop\"}");
        String secret = created.path("key").asString();
        long id = owner.post("/api/channels", channelJson("made-here", main, "[\"chat\"]")).id();
        String rotated = owner.post("/api/keys/" + created.path("id").asLong() + "/rotate", null).json().path("key").asString();
        assertThat(chat(rotated).statusCode()).isEqualTo(200);
        assertThat(owner.patch("/api/channels/" + id, "{\"api_keys\":[\"" + PROVIDER_KEY + "\",\"sk-second-provider-"
                + "key-77\"]}").status()).isEqualTo(200);
        gateway.close();

        StringBuilder bytes = new StringBuilder();
        List<Path> files = new ArrayList<>();
        try (var listing = Files.list(dir)) {
            listing.filter(p -> p.getFileName().toString().startsWith("junction.db")).forEach(files::add);
        }
        for (Path file : files) {
            bytes.append(new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1));
        }
        assertThat(bytes.toString()).contains("made-here").contains("v1:").contains(rotated.substring(0, 7));
        for (String plain : List.of(secret, secret.substring(7), rotated, rotated.substring(7), PROVIDER_KEY,
                "sk-second-provider-key-77", TestGateway.KEY, "sk-fake-file-channel")) {
            assertThat(bytes.toString()).as("the database holds a key in the clear").doesNotContain(plain);
        }
    }
}
