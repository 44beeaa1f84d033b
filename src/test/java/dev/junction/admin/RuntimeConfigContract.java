package dev.junction.admin;

import static dev.junction.testing.TestGateway.channel;
import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.admin.AdminClient.Response;
import dev.junction.testing.Chat;
import dev.junction.testing.FakeOpenAi;
import dev.junction.testing.FakeProvider;
import dev.junction.testing.MutableClock;
import dev.junction.testing.TestGateway;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Gateway keys, channels, reload and routing-config versions over real HTTP against a real gateway
 * started from a config file, on each database (see the subclasses). Nothing restarts: every
 * change made here reaches the next model request.
 */
abstract class RuntimeConfigContract {

    static final String OWNER_PASSWORD = "owner-password-1";
    static final String PASSWORD = "member-password-1";
    static final String PROVIDER_KEY = "sk-provider-secret-Zq81xw";

    @TempDir
    Path dir;

    final MutableClock clock = new MutableClock();
    final List<AutoCloseable> open = new ArrayList<>();
    TestGateway gateway;
    Path file;

    /** The database URL a test's gateway uses. */
    abstract String databaseUrl();

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : open.reversed()) {
            c.close();
        }
    }

    FakeOpenAi fake(String... keys) throws Exception {
        FakeOpenAi fake = FakeOpenAi.start(keys);
        open.add(fake);
        return fake;
    }

    /** Writes {@code yaml} (plus listen, database and the test key) as the config file and starts from it. */
    TestGateway start(String yaml) throws Exception {
        file = dir.resolve("junction.yaml");
        writeConfig(yaml);
        gateway = TestGateway.fromFile(file, clock);
        open.add(gateway);
        return gateway;
    }

    void writeConfig(String yaml) throws Exception {
        Files.writeString(file, TestGateway.configText(yaml, databaseUrl()));
    }

    AdminClient client() {
        return new AdminClient(gateway.baseUrl());
    }

    AdminClient setUp() throws Exception {
        AdminClient owner = client();
        Response created = owner.post("/api/setup", "{\"name\":\"root\",\"password\":\"" + OWNER_PASSWORD + "\"}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        owner.keepSession(created);
        return owner;
    }

    static long createUser(AdminClient by, String name, String role) throws Exception {
        Response created = by.post("/api/users",
                "{\"name\":\"" + name + "\",\"password\":\"" + PASSWORD + "\",\"role\":\"" + role + "\"}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created.id();
    }

    AdminClient signedIn(String name) throws Exception {
        AdminClient client = client();
        assertThat(client.login(name, PASSWORD).status()).isEqualTo(200);
        return client;
    }

    HttpResponse<String> chat(String key) throws Exception {
        return gateway.post("/v1/chat/completions", Chat.body("chat", false), key);
    }

    HttpResponse<String> chat(String key, String model) throws Exception {
        return gateway.post("/v1/chat/completions", Chat.body(model, false), key);
    }

    HttpResponse<String> anthropic(String key) throws Exception {
        return gateway.post("/v1/messages", "{\"model\":\"chat\",\"max_tokens\":10,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", key);
    }

    static String channelJson(String name, FakeProvider fake, String models) {
        return "{\"name\":\"" + name + "\",\"type\":\"openai\",\"base_url\":\"" + fake.baseUrl() + "\",\"api_key\":\""
                + PROVIDER_KEY + "\",\"models\":" + models + "}";
    }

    /** The owner's new key: its JSON (with the secret in {@code key}). */
    static JsonNode createKey(AdminClient by, String body) throws Exception {
        Response created = by.post("/api/keys", body);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created.json();
    }

    // --- keys ----------------------------------------------------------------------------------------

    @Test
    void aKeyMadeInTheApiWorksAtOnceAndStopsAtOnceWhenRevokedOrRotated() throws Exception {
        FakeOpenAi upstream = fake("sk-fake-main");
        start("channels:\n" + channel("main", upstream, "[chat, other]", ""));
        AdminClient owner = setUp();

        JsonNode key = createKey(owner, "{\"name\":\"laptop\",\"models\":[\"chat\"]}");
        String secret = key.path("key").asString();
        assertThat(secret).startsWith("sk-").hasSizeGreaterThan(40);
        assertThat(key.path("prefix").asString()).isEqualTo(secret.substring(0, 7));
        assertThat(key.path("hint").asString()).isEqualTo("…" + secret.substring(secret.length() - 4));
        assertThat(key.path("source").asString()).isEqualTo("admin");
        assertThat(key.path("config_version").asLong()).isGreaterThan(0);

        assertThat(chat(secret).statusCode()).isEqualTo(200);
        HttpResponse<String> notAllowed = chat(secret, "other");
        assertThat(notAllowed.statusCode()).isEqualTo(403);
        assertThat(notAllowed.body()).contains("may not use model 'other'");

        Response shown = owner.get("/api/keys/" + key.path("id").asLong());
        assertThat(shown.body()).doesNotContain(secret);
        assertThat(owner.get("/api/keys").body()).doesNotContain(secret);

        Response rotated = owner.post("/api/keys/" + key.path("id").asLong() + "/rotate", null);
        assertThat(rotated.status()).as(rotated.body()).isEqualTo(200);
        String second = rotated.json().path("key").asString();
        assertThat(second).startsWith("sk-").isNotEqualTo(secret);
        assertThat(rotated.json().path("id").asLong()).isEqualTo(key.path("id").asLong());
        assertThat(chat(secret).statusCode()).as("the old secret stops at once").isEqualTo(401);
        assertThat(chat(second).statusCode()).isEqualTo(200);

        Response revoked = owner.delete("/api/keys/" + key.path("id").asLong());
        assertThat(revoked.status()).as(revoked.body()).isEqualTo(200);
        assertThat(revoked.json().path("revoked_at").isNull()).isFalse();
        HttpResponse<String> after = chat(second);
        assertThat(after.statusCode()).isEqualTo(401);
        assertThat(after.body()).contains("\"type\":\"authentication_error\"").contains("not valid");
        assertThat(chat(TestGateway.KEY).statusCode()).as("the file's key is untouched").isEqualTo(200);

        JsonNode again = createKey(owner, "{\"name\":\"laptop\"}");
        assertThat(again.path("id").asLong()).as("a revoked key's name is free again, its id is not")
                .isNotEqualTo(key.path("id").asLong());
        assertThat(owner.post("/api/keys", "{\"name\":\"laptop\"}").status()).isEqualTo(409);
    }

    @Test
    void anExpiredKeyGets401InTheClientsOwnShape() throws Exception {
        start("channels:\n" + channel("main", fake("sk-fake-main"), "[chat]", ""));
        AdminClient owner = setUp();
        assertThat(owner.post("/api/keys", "{\"name\":\"old\",\"expires_at\":\"2020-01-01T00:00:00Z\"}").errorCode())
                .isEqualTo("invalid_field");
        Instant expiry = clock.now().plus(Duration.ofHours(1)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        String secret = createKey(owner, "{\"name\":\"temp\",\"expires_at\":\"" + expiry + "\"}").path("key").asString();
        assertThat(chat(secret).statusCode()).isEqualTo(200);

        clock.advance(Duration.ofHours(1));
        HttpResponse<String> openAi = chat(secret);
        assertThat(openAi.statusCode()).isEqualTo(401);
        JsonNode error = Json.parse(openAi.body()).path("error");
        assertThat(error.path("type").asString()).isEqualTo("authentication_error");
        assertThat(error.path("message").asString()).contains("expired at " + expiry);
        HttpResponse<String> claude = anthropic(secret);
        assertThat(claude.statusCode()).isEqualTo(401);
        assertThat(Json.parse(claude.body()).path("type").asString()).isEqualTo("error");
        assertThat(Json.parse(claude.body()).path("error").path("type").asString()).isEqualTo("authentication_error");
        assertThat(owner.get("/api/keys").body()).contains("\"expired\":true");
    }

    @Test
    void aKeyWorksOnlyFromItsAllowedAddresses() throws Exception {
        start("channels:\n" + channel("main", fake("sk-fake-main"), "[chat]", ""));
        AdminClient owner = setUp();
        assertThat(owner.post("/api/keys", "{\"name\":\"x\",\"allowed_ips\":[\"10.0.0.0/33\"]}").errorCode())
                .isEqualTo("invalid_field");
        JsonNode key = createKey(owner, "{\"name\":\"office\",\"allowed_ips\":[\"10.0.0.0/8\"]}");
        String secret = key.path("key").asString();
        HttpResponse<String> refused = chat(secret);
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(Json.parse(refused.body()).path("error").path("type").asString()).isEqualTo("permission_error");
        assertThat(refused.body()).contains("may not be used from this address");

        Response widened = owner.patch("/api/keys/" + key.path("id").asLong(),
                "{\"allowed_ips\":[\"10.0.0.0/8\",\"127.0.0.0/8\",\"::1\"]}");
        assertThat(widened.status()).as(widened.body()).isEqualTo(200);
        assertThat(chat(secret).statusCode()).isEqualTo(200);

        assertThat(owner.patch("/api/keys/" + key.path("id").asLong(), "{\"allowed_ips\":[\"192.0.2.1\"]}").status())
                .isEqualTo(200);
        assertThat(chat(secret).statusCode()).isEqualTo(403);
        assertThat(owner.patch("/api/keys/" + key.path("id").asLong(), "{\"allowed_ips\":null}").status())
                .isEqualTo(200);
        assertThat(chat(secret).statusCode()).as("no list: any address").isEqualTo(200);
    }

    @Test
    void membersManageOnlyTheirOwnKeysAndViewersChangeNothing() throws Exception {
        start("channels:\n" + channel("main", fake("sk-fake-main"), "[chat]", ""));
        AdminClient owner = setUp();
        long mia = createUser(owner, "mia", "member");
        long max = createUser(owner, "max", "member");
        createUser(owner, "vic", "viewer");
        AdminClient member = signedIn("mia");
        AdminClient other = signedIn("max");
        AdminClient viewer = signedIn("vic");

        JsonNode own = createKey(member, "{\"name\":\"mia-laptop\"}");
        assertThat(own.path("user_id").asLong()).isEqualTo(mia);
        assertThat(chat(own.path("key").asString()).statusCode()).isEqualTo(200);
        JsonNode maxKey = createKey(other, "{\"name\":\"max-laptop\"}");
        JsonNode ownersKey = createKey(owner, "{\"name\":\"root-key\"}");
        assertThat(member.post("/api/keys", "{\"name\":\"for-max\",\"user_id\":" + max + "}").status()).isEqualTo(403);

        List<String> seen = new ArrayList<>();
        member.get("/api/keys").json().path("data").forEach(k -> seen.add(k.path("name").asString()));
        assertThat(seen).containsExactly("mia-laptop");
        long maxId = maxKey.path("id").asLong();
        assertThat(member.get("/api/keys/" + maxId).status()).isEqualTo(403);
        assertThat(member.patch("/api/keys/" + maxId, "{\"name\":\"mine\"}").status()).isEqualTo(403);
        assertThat(member.post("/api/keys/" + maxId + "/rotate", null).status()).isEqualTo(403);
        assertThat(member.delete("/api/keys/" + maxId).status()).isEqualTo(403);
        assertThat(member.delete("/api/keys/" + ownersKey.path("id").asLong()).status()).isEqualTo(403);
        assertThat(member.patch("/api/keys/" + own.path("id").asLong(), "{\"models\":[\"chat\"]}").status())
                .isEqualTo(200);

        List<String> all = new ArrayList<>();
        viewer.get("/api/keys").json().path("data").forEach(k -> all.add(k.path("name").asString()));
        assertThat(all).contains("test", "mia-laptop", "max-laptop", "root-key");
        assertThat(viewer.post("/api/keys", "{\"name\":\"v\"}").status()).isEqualTo(403);
        assertThat(viewer.patch("/api/keys/" + maxId, "{\"name\":\"v\"}").status()).isEqualTo(403);
        assertThat(viewer.post("/api/keys/" + maxId + "/rotate", null).status()).isEqualTo(403);
        assertThat(viewer.delete("/api/keys/" + maxId).status()).isEqualTo(403);
        assertThat(chat(maxKey.path("key").asString()).statusCode()).as("nothing was revoked").isEqualTo(200);

        long fileKey = viewer.get("/api/keys").json().path("data").get(0).path("id").asLong();
        JsonNode fromFile = owner.get("/api/keys/" + fileKey).json();
        assertThat(fromFile.path("source").asString()).isEqualTo("file");
        assertThat(fromFile.path("read_only").asBoolean()).isTrue();
        assertThat(member.get("/api/keys/" + fileKey).status()).isEqualTo(403);
        assertThat(owner.delete("/api/keys/" + fileKey).errorCode()).isEqualTo("read_only");
        assertThat(owner.patch("/api/keys/" + fileKey, "{\"name\":\"x\"}").errorCode()).isEqualTo("read_only");
        assertThat(owner.post("/api/keys/" + fileKey + "/rotate", null).errorCode()).isEqualTo("read_only");
        assertThat(chat(TestGateway.KEY).statusCode()).isEqualTo(200);
    }

    @Test
    void aKeyStopsWhileItsOwnerIsDisabledAndForGoodWhenTheOwnerIsDeleted() throws Exception {
        start("channels:\n" + channel("main", fake("sk-fake-main"), "[chat]", ""));
        AdminClient owner = setUp();
        long mia = createUser(owner, "mia", "member");
        String secret = createKey(signedIn("mia"), "{\"name\":\"mia-key\"}").path("key").asString();
        assertThat(chat(secret).statusCode()).isEqualTo(200);
        assertThat(owner.patch("/api/users/" + mia, "{\"disabled\":true}").status()).isEqualTo(200);
        assertThat(chat(secret).statusCode()).isEqualTo(401);
        assertThat(owner.patch("/api/users/" + mia, "{\"disabled\":false}").status()).isEqualTo(200);
        assertThat(chat(secret).statusCode()).isEqualTo(200);
        assertThat(owner.delete("/api/users/" + mia).status()).isEqualTo(204);
        assertThat(chat(secret).statusCode()).isEqualTo(401);
    }

    // --- channels -------------------------------------------------------------------------------------

    @Test
    void aChannelAddedInTheApiServesTheNextRequestWithNoRestart() throws Exception {
        FakeOpenAi added = fake(PROVIDER_KEY);
        start("");
        AdminClient owner = setUp();
        assertThat(chat(TestGateway.KEY).statusCode()).isEqualTo(404);

        Response created = owner.post("/api/channels", channelJson("added", added, "{\"chat\":\"up-model\"}"));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        long id = created.id();
        assertThat(created.body()).doesNotContain(PROVIDER_KEY);
        assertThat(created.json().path("api_keys").get(0).asString()).isEqualTo("…81xw");
        HttpResponse<String> served = chat(TestGateway.KEY);
        assertThat(served.statusCode()).as(served.body()).isEqualTo(200);
        assertThat(served.headers().firstValue("x-junction-channel")).hasValue("added");
        assertThat(added.received().getLast().body().path("model").asString()).isEqualTo("up-model");
        assertThat(gateway.gateway().router().current().configVersion()).isEqualTo(gateway.gateway().live().version())
                .isEqualTo(created.json().path("config_version").asLong());

        Response disabled = owner.patch("/api/channels/" + id, "{\"enabled\":false}");
        assertThat(disabled.status()).as(disabled.body()).isEqualTo(200);
        assertThat(chat(TestGateway.KEY).statusCode()).isEqualTo(404);
        assertThat(owner.patch("/api/channels/" + id, "{\"enabled\":true,\"models\":[\"chat\"]}").status())
                .isEqualTo(200);
        assertThat(chat(TestGateway.KEY).statusCode()).as("the sealed key survives an edit").isEqualTo(200);
        assertThat(added.received().getLast().body().path("model").asString()).isEqualTo("chat");

        assertThat(owner.delete("/api/channels/" + id).status()).isEqualTo(204);
        assertThat(chat(TestGateway.KEY).statusCode()).isEqualTo(404);
        assertThat(owner.get("/api/channels/" + id).status()).isEqualTo(404);
        assertThat(owner.post("/api/channels", channelJson("added", added, "[\"chat\"]")).status())
                .as("the name is free again").isEqualTo(201);
    }

    @Test
    void aChannelBodyIsCheckedByTheConfigBindersWithTheFieldNamed() throws Exception {
        FakeOpenAi main = fake("sk-fake-main");
        start("channels:\n" + channel("main", main, "[chat]", ""));
        AdminClient owner = setUp();
        Response bad = owner.post("/api/channels", "{\"name\":\"x\",\"type\":\"openia\",\"base_url\":\"ftp://h\","
                + "\"models\":[\"a\"],\"wieght\":3}");
        assertThat(bad.status()).isEqualTo(400);
        List<String> params = new ArrayList<>();
        bad.json().path("error").path("problems").forEach(p -> params.add(p.path("param").asString()));
        assertThat(params).contains("/type", "/base_url", "/wieght");
        assertThat(bad.json().path("error").path("message").asString()).contains("/");

        Response clash = owner.post("/api/channels", channelJson("main", main, "[\"chat\"]"));
        assertThat(clash.status()).isEqualTo(409);
        assertThat(clash.errorCode()).isEqualTo("name_taken");

        JsonNode listed = owner.get("/api/channels").json().path("data").get(0);
        assertThat(listed.path("source").asString()).isEqualTo("file");
        assertThat(listed.path("read_only").asBoolean()).isTrue();
        assertThat(listed.path("api_keys").get(0).asString()).isEqualTo("…main");
        long fileId = listed.path("id").asLong();
        assertThat(owner.patch("/api/channels/" + fileId, "{\"weight\":2}").errorCode()).isEqualTo("read_only");
        assertThat(owner.delete("/api/channels/" + fileId).errorCode()).isEqualTo("read_only");
        assertThat(chat(TestGateway.KEY).statusCode()).isEqualTo(200);
    }

    @Test
    void membersSeeNoChannelsAndViewersOnlyReadThem() throws Exception {
        FakeOpenAi main = fake(PROVIDER_KEY);
        start("");
        AdminClient owner = setUp();
        createUser(owner, "mia", "member");
        createUser(owner, "vic", "viewer");
        createUser(owner, "ada", "admin");
        AdminClient member = signedIn("mia");
        AdminClient viewer = signedIn("vic");
        AdminClient admin = signedIn("ada");
        Response created = admin.post("/api/channels", channelJson("a", main, "[\"chat\"]"));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        long id = created.id();

        assertThat(member.get("/api/channels").status()).isEqualTo(403);
        assertThat(member.get("/api/channels/" + id).status()).isEqualTo(403);
        assertThat(member.post("/api/channels", channelJson("m", main, "[\"x\"]")).status()).isEqualTo(403);
        assertThat(member.patch("/api/channels/" + id, "{\"weight\":5}").status()).isEqualTo(403);
        assertThat(member.delete("/api/channels/" + id).status()).isEqualTo(403);
        assertThat(member.post("/api/channels/" + id + "/test", null).status()).isEqualTo(403);

        assertThat(viewer.get("/api/channels").json().path("data").size()).isEqualTo(1);
        assertThat(viewer.get("/api/channels/" + id).body()).doesNotContain(PROVIDER_KEY);
        assertThat(viewer.post("/api/channels", channelJson("v", main, "[\"x\"]")).status()).isEqualTo(403);
        assertThat(viewer.patch("/api/channels/" + id, "{\"weight\":5}").status()).isEqualTo(403);
        assertThat(viewer.delete("/api/channels/" + id).status()).isEqualTo(403);
        assertThat(viewer.post("/api/channels/" + id + "/test", null).status()).isEqualTo(403);
        assertThat(viewer.post("/api/reload", null).status()).isEqualTo(403);
        assertThat(member.post("/api/reload", null).status()).isEqualTo(403);
        assertThat(member.get("/api/versions").status()).isEqualTo(403);
        assertThat(viewer.get("/api/versions").status()).isEqualTo(200);
        assertThat(chat(TestGateway.KEY).statusCode()).isEqualTo(200);
    }

    @Test
    void theTestButtonSendsOneRealRequestAndShowsTheAnswerOrTheProvidersError() throws Exception {
        FakeOpenAi good = fake(PROVIDER_KEY);
        FakeOpenAi refusing = fake("sk-some-other-key");
        start("");
        AdminClient owner = setUp();
        long ok = owner.post("/api/channels", channelJson("good", good, "{\"chat\":\"gpt-up\"}")).id();
        long bad = owner.post("/api/channels", channelJson("bad", refusing, "[\"chat2\"]")).id();

        Response tested = owner.post("/api/channels/" + ok + "/test", null);
        assertThat(tested.status()).as(tested.body()).isEqualTo(200);
        assertThat(tested.json().path("ok").asBoolean()).isTrue();
        assertThat(tested.json().path("answer").asString()).isEqualTo("Hello from the fake.");
        assertThat(tested.json().path("upstream_model").asString()).isEqualTo("gpt-up");
        assertThat(tested.json().path("latency_ms").isIntegralNumber()).isTrue();
        JsonNode sent = good.received().getLast().body();
        assertThat(sent.path("model").asString()).isEqualTo("gpt-up");
        assertThat(sent.toString()).contains("max_");

        Response failed = owner.post("/api/channels/" + bad + "/test", "{\"model\":\"chat2\"}");
        assertThat(failed.status()).isEqualTo(200);
        assertThat(failed.json().path("ok").asBoolean()).isFalse();
        assertThat(failed.json().path("status").asInt()).isEqualTo(401);
        assertThat(failed.json().path("error").asString()).isNotBlank();
    }

    // --- reload and versions ------------------------------------------------------------------------

    @Test
    void aBadFileIsRefusedWithItsLinesByTheSignalPathAndTheApiAndTrafficContinues() throws Exception {
        FakeOpenAi main = fake("sk-fake-main", "sk-fake-renamed");
        start("channels:\n" + channel("main", main, "[chat]", ""));
        AdminClient owner = setUp();
        long before = gateway.gateway().live().version();
        writeConfig("channels:\n" + channel("main", main, "[chat]", "weight: 0"));

        var signal = gateway.gateway().reload("SIGHUP");
        assertThat(signal.ok()).isFalse();
        assertThat(signal.problems()).singleElement().asString()
                .matches(".*junction\\.yaml:\\d+: channels\\[0]\\.weight: .*");
        assertThat(chat(TestGateway.KEY).statusCode()).isEqualTo(200);

        Response refused = owner.post("/api/reload", null);
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.errorCode()).isEqualTo("invalid_config");
        assertThat(refused.json().path("error").path("problems").get(0).path("message").asString())
                .isEqualTo(signal.problems().getFirst());
        assertThat(chat(TestGateway.KEY).statusCode()).isEqualTo(200);
        assertThat(gateway.gateway().live().version()).isEqualTo(before);

        writeConfig("keys:\n  - name: test\n    key: " + TestGateway.KEY + "\n  - name: second\n    key: sk-second-file-key\n"
                + "channels:\n" + channel("renamed", main, "[chat]", ""));
        assertThat(chat("sk-second-file-key").statusCode()).isEqualTo(401);
        Response reloaded = owner.post("/api/reload", null);
        assertThat(reloaded.status()).as(reloaded.body()).isEqualTo(200);
        assertThat(reloaded.json().path("version").asLong()).isEqualTo(before + 1);
        HttpResponse<String> next = chat("sk-second-file-key");
        assertThat(next.statusCode()).isEqualTo(200);
        assertThat(next.headers().firstValue("x-junction-channel")).hasValue("renamed");

        writeConfig("channels:\n" + channel("renamed", main, "[chat]", ""));
        assertThat(gateway.gateway().reload("SIGHUP").ok()).isTrue();
        assertThat(chat("sk-second-file-key").statusCode()).as("a key gone from the file stops").isEqualTo(401);
        JsonNode latest = owner.get("/api/versions").json().path("data").get(0);
        assertThat(latest.path("actor").asString()).isEqualTo("SIGHUP");
        assertThat(latest.path("source").asString()).isEqualTo("reload");
        assertThat(latest.path("summary").asString()).contains("key 'second' removed");
    }

    @Test
    void everyChangeWritesAVersionWithADiffAndNoSecret() throws Exception {
        FakeOpenAi main = fake(PROVIDER_KEY);
        start("");
        AdminClient owner = setUp();
        JsonNode versions = owner.get("/api/versions").json();
        long first = versions.path("current").asLong();
        assertThat(first).isGreaterThan(0);
        assertThat(versions.path("data").get(0).path("source").asString()).isEqualTo("start");

        String secret = createKey(owner, "{\"name\":\"alice\",\"models\":[\"chat\"]}").path("key").asString();
        long channel = owner.post("/api/channels", channelJson("zhipu", main, "[\"chat\"]")).id();
        assertThat(owner.patch("/api/channels/" + channel, "{\"weight\":7}").status()).isEqualTo(200);

        Response listed = owner.get("/api/versions");
        JsonNode data = listed.json().path("data");
        assertThat(listed.json().path("current").asLong()).isEqualTo(first + 3)
                .isEqualTo(gateway.gateway().router().current().configVersion());
        assertThat(data.get(2).path("summary").asString()).isEqualTo("key 'alice' added");
        assertThat(data.get(2).path("actor").asString()).isEqualTo("user root");
        assertThat(data.get(2).path("source").asString()).isEqualTo("api");
        assertThat(data.get(1).path("summary").asString()).isEqualTo("channel 'zhipu' added");
        assertThat(data.get(0).path("summary").asString()).isEqualTo("channel 'zhipu' changed (weight)");
        JsonNode weight = data.get(0).path("diff").path("channels").get(0).path("fields").path("weight");
        assertThat(weight.path("before").asInt()).isEqualTo(1);
        assertThat(weight.path("after").asInt()).isEqualTo(7);
        assertThat(listed.body()).doesNotContain(secret).doesNotContain(secret.substring(7, 30))
                .doesNotContain(PROVIDER_KEY).contains("…81xw");
        String stored = gateway.gateway().database().jdbi().withHandle(h -> String.join("\n", h.createQuery(
                "SELECT diff || document FROM config_versions").mapTo(String.class).list()));
        assertThat(stored).doesNotContain(secret).doesNotContain(PROVIDER_KEY);

        assertThat(owner.get("/api/versions?limit=1&before=" + (first + 3)).json().path("data").get(0)
                .path("version").asLong()).isEqualTo(first + 2);
    }

    // --- routing rules -------------------------------------------------------------------------------

    @Test
    void routingRulesSetInTheApiAreCheckedLikeTheFileVersionedAuditedAndRouteTheNextRequest() throws Exception {
        FakeOpenAi cheap = fake("sk-fake-cheap");
        FakeOpenAi strong = fake("sk-fake-strong");
        FakeOpenAi pricey = fake("sk-fake-pricey");
        start("channels:\n" + channel("cheap", cheap, "{small: glm-4.5-air}", "")
                + channel("strong", strong, "{frontier: claude-sonnet-4-5}", "")
                + channel("pricey", pricey, "{chat: claude-opus-4-1}", "")
                + "routing:\n  chat: { strategy: priority }\n");
        AdminClient owner = setUp();
        long before = owner.get("/api/versions").json().path("current").asLong();

        // The file's rules are listed read-only and cannot be changed here.
        JsonNode list = owner.get("/api/routing/rules").json();
        assertThat(list.path("data").get(0).path("model").asString()).isEqualTo("chat");
        assertThat(list.path("data").get(0).path("read_only").asBoolean()).isTrue();
        Response readOnly = owner.send("PUT", "/api/routing/rules/chat", "{\"strategy\":\"cheapest\"}");
        assertThat(readOnly.status()).isEqualTo(409);
        assertThat(readOnly.json().at("/error/code").asString()).isEqualTo("read_only");

        // Invalid rules get the config file's messages, each at its field.
        Response invalid = owner.send("PUT", "/api/routing/rules/auto",
                "{\"strategy\":\"fastests\",\"fallbacks\":[\"auto\"],\"complexity\":{\"simple\":\"small\"},"
                        + "\"colour\":1}");
        assertThat(invalid.status()).as(invalid.body()).isEqualTo(400);
        String problems = invalid.json().at("/error/problems").toString();
        assertThat(problems).contains("/strategy: unknown strategy 'fastests'; use one of [weighted")
                .contains("/fallbacks: a model cannot fall back to itself")
                .contains("/complexity/hard: missing: the public model for hard requests")
                .contains("/colour: unknown field");
        assertThat(gateway.post("/v1/chat/completions", Chat.body("auto", false)).statusCode()).isEqualTo(404);

        // A complexity router made in the API serves the next request, no restart.
        Response made = owner.send("PUT", "/api/routing/rules/auto",
                "{\"complexity\":{\"simple\":\"small\",\"hard\":\"frontier\"},\"fallbacks\":[\"chat\"]}");
        assertThat(made.status()).as(made.body()).isEqualTo(201);
        assertThat(made.json().path("source").asString()).isEqualTo("admin");
        assertThat(made.json().path("complexity").path("threshold").asInt()).isEqualTo(3);
        long version = made.json().path("config_version").asLong();
        assertThat(version).isGreaterThan(before);
        HttpResponse<String> simple = gateway.post("/v1/chat/completions", Chat.body("auto", false));
        assertThat(simple.statusCode()).as(simple.body()).isEqualTo(200);
        assertThat(simple.headers().firstValue("x-junction-channel")).contains("cheap");
        assertThat(gateway.post("/v1/chat/completions", "{\"model\":\"auto\",\"messages\":[{\"role\":\"user\","
                + "\"content\":\"hi\"}],\"reasoning_effort\":\"high\"}").headers().firstValue("x-junction-channel"))
                .contains("strong");

        JsonNode latest = owner.get("/api/versions").json().path("data").get(0);
        assertThat(latest.path("version").asLong()).isEqualTo(version);
        assertThat(latest.path("summary").asString()).contains("routing of 'auto' added");
        assertThat(latest.path("actor").asString()).isEqualTo("user root");
        JsonNode audit = owner.get("/api/audit").json().path("data").get(0);
        assertThat(audit.path("action").asString()).isEqualTo("routing.create");
        assertThat(audit.path("target").asString()).isEqualTo("routing:auto");

        // Changing it replaces the rules whole; the explain view shows the classifier's verdict.
        Response changed = owner.send("PUT", "/api/routing/rules/auto",
                "{\"complexity\":{\"simple\":\"small\",\"hard\":\"frontier\",\"threshold\":10}}");
        assertThat(changed.status()).as(changed.body()).isEqualTo(200);
        JsonNode explain = owner.get("/api/routing/explain?model=auto&tools=true&code=true").json();
        assertThat(explain.path("complexity").path("score").asInt()).isEqualTo(6);
        assertThat(explain.path("complexity").path("tier").asString()).isEqualTo("simple");
        assertThat(explain.path("routed_to").asString()).isEqualTo("small");
        assertThat(explain.path("candidates").get(0).path("channel").asString()).isEqualTo("cheap");
        assertThat(owner.get("/api/versions").json().path("data").get(0).path("summary").asString())
                .contains("routing of 'auto' changed (fallbacks, complexity)");

        // Roles: a viewer reads, a member sees nothing, neither writes.
        createUser(owner, "vera", "viewer");
        createUser(owner, "mo", "member");
        AdminClient viewer = signedIn("vera");
        AdminClient member = signedIn("mo");
        assertThat(viewer.get("/api/routing/rules/auto").status()).isEqualTo(200);
        assertThat(viewer.send("PUT", "/api/routing/rules/auto", "{}").status()).isEqualTo(403);
        assertThat(member.get("/api/routing/rules").status()).isEqualTo(403);
        assertThat(member.send("DELETE", "/api/routing/rules/auto", null).status()).isEqualTo(403);

        assertThat(owner.delete("/api/routing/rules/auto").status()).isEqualTo(204);
        assertThat(owner.get("/api/routing/rules/auto").status()).isEqualTo(404);
        assertThat(gateway.post("/v1/chat/completions", Chat.body("auto", false)).statusCode()).isEqualTo(404);
        assertThat(owner.get("/api/audit").json().path("data").get(0).path("action").asString())
                .isEqualTo("routing.delete");
    }

    // --- settings ------------------------------------------------------------------------------------

    /** The setting {@code name} of {@code GET /api/settings}. */
    static JsonNode setting(AdminClient by, String name) throws Exception {
        for (JsonNode node : by.get("/api/settings").json().path("data")) {
            if (node.path("name").asString().equals(name)) {
                return node;
            }
        }
        throw new AssertionError("no setting " + name);
    }

    @Test
    void settingsSetInTheApiAreCheckedLikeTheFileVersionedAuditedAndApplyFromTheNextRequest() throws Exception {
        FakeOpenAi bad = fake("sk-fake-bad");
        FakeOpenAi good = fake("sk-fake-good");
        java.util.concurrent.CountDownLatch entered = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.atomic.AtomicBoolean hold = new java.util.concurrent.atomic.AtomicBoolean();
        bad.always(new dev.junction.testing.FakeProvider.Scripted(request -> {
            if (hold.getAndSet(false)) {
                entered.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return dev.junction.testing.FakeProvider.status(500);
        }));
        good.always(dev.junction.testing.FakeProvider.text("from good"));
        start("channels:\n" + channel("bad", bad, "[chat]", "priority: 10") + channel("good", good, "[chat]", "priority: 1")
                + "failover:\n  request_timeout: 2m\n  breaker:\n    consecutive_failures: 50\n");
        AdminClient owner = setUp();

        // Defaults, and the file's settings read-only.
        JsonNode attempts = setting(owner, "failover.max_attempts");
        assertThat(attempts.path("value").asInt()).isEqualTo(5);
        assertThat(attempts.path("source").asString()).isEqualTo("default");
        assertThat(attempts.path("read_only").asBoolean()).isFalse();
        JsonNode timeout = setting(owner, "failover.request_timeout");
        assertThat(timeout.path("value").asString()).isEqualTo("2m");
        assertThat(timeout.path("default").asString()).isEqualTo("10m");
        assertThat(timeout.path("source").asString()).isEqualTo("file");
        assertThat(timeout.path("read_only").asBoolean()).isTrue();
        assertThat(setting(owner, "failover.breaker.consecutive_failures").path("source").asString()).isEqualTo("file");
        assertThat(setting(owner, "usage.keep_raw").path("value").asString()).isEqualTo("30d");
        HttpResponse<String> failedOver = chat(TestGateway.KEY);
        assertThat(failedOver.statusCode()).isEqualTo(200);
        assertThat(failedOver.headers().firstValue("x-junction-attempts")).hasValue("2");

        Response readOnly = owner.patch("/api/settings", "{\"failover\":{\"request_timeout\":\"5m\"}}");
        assertThat(readOnly.status()).as(readOnly.body()).isEqualTo(409);
        assertThat(readOnly.errorCode()).isEqualTo("read_only");
        assertThat(readOnly.json().at("/error/param").asString()).isEqualTo("failover.request_timeout");

        // Invalid values get the config file's messages, each at its field; nothing changes.
        long before = owner.get("/api/versions").json().path("current").asLong();
        Response invalid = owner.patch("/api/settings", "{\"failover\":{\"max_attempts\":0,\"hedge_after\":\"soon\","
                + "\"colour\":1,\"breaker\":{\"failure_rate\":2}},\"usage\":{\"keep_raw\":\"500d\"}}");
        assertThat(invalid.status()).as(invalid.body()).isEqualTo(400);
        assertThat(invalid.errorCode()).isEqualTo("invalid_field");
        String problems = invalid.json().at("/error/problems").toString();
        assertThat(problems).contains("/failover/max_attempts: must be at least 1")
                .contains("/failover/hedge_after: 'soon' is neither a duration (e.g. 8s) nor p95 nor off")
                .contains("/failover/colour: unknown field")
                .contains("/failover/breaker/failure_rate: must be between 0 (exclusive) and 1")
                .contains("/usage: keep_rollups must be at least keep_raw");
        assertThat(owner.get("/api/versions").json().path("current").asLong()).isEqualTo(before);
        assertThat(setting(owner, "failover.max_attempts").path("source").asString()).isEqualTo("default");

        // A request in flight keeps the settings it started with; the next one runs on the new ones.
        hold.set(true);
        java.util.concurrent.CompletableFuture<HttpResponse<String>> inFlight =
                java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                    try {
                        return chat(TestGateway.KEY);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
        assertThat(entered.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        Response changed = owner.patch("/api/settings", "{\"failover\":{\"max_attempts\":1}}");
        assertThat(changed.status()).as(changed.body()).isEqualTo(200);
        long version = changed.json().path("config_version").asLong();
        assertThat(version).isEqualTo(before + 1);
        release.countDown();
        HttpResponse<String> kept = inFlight.get(10, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(kept.statusCode()).as("in flight: still five attempts").isEqualTo(200);
        assertThat(kept.headers().firstValue("x-junction-channel")).hasValue("good");
        HttpResponse<String> next = chat(TestGateway.KEY);
        assertThat(next.statusCode()).as(next.body()).isEqualTo(503);
        assertThat(next.headers().firstValue("x-junction-attempts")).hasValue("1");

        JsonNode set = setting(owner, "failover.max_attempts");
        assertThat(set.path("value").asInt()).isEqualTo(1);
        assertThat(set.path("source").asString()).isEqualTo("admin");
        assertThat(set.path("updated_by").asString()).isEqualTo("user root");
        JsonNode latest = owner.get("/api/versions").json().path("data").get(0);
        assertThat(latest.path("version").asLong()).isEqualTo(version);
        assertThat(latest.path("actor").asString()).isEqualTo("user root");
        assertThat(latest.path("summary").asString()).isEqualTo("settings 'failover' changed (max_attempts)");
        JsonNode audit = owner.get("/api/audit").json().path("data").get(0);
        assertThat(audit.path("action").asString()).isEqualTo("settings.update");
        assertThat(audit.path("target").asString()).isEqualTo("settings");
        assertThat(audit.toString()).contains("\"failover.max_attempts\":5").contains("\"failover.max_attempts\":1");
        List<java.util.Map<String, Object>> rows = gateway.usageRows(3);
        assertThat(((Number) rows.getLast().get("config_version")).longValue()).isEqualTo(version);

        // Roles: a viewer reads, a member sees nothing, neither writes.
        createUser(owner, "vera", "viewer");
        createUser(owner, "mo", "member");
        assertThat(signedIn("vera").get("/api/settings").status()).isEqualTo(200);
        assertThat(signedIn("vera").patch("/api/settings", "{\"failover\":{\"max_attempts\":3}}").status())
                .isEqualTo(403);
        assertThat(signedIn("mo").get("/api/settings").status()).isEqualTo(403);

        // null returns a setting to its default.
        Response reset = owner.patch("/api/settings", "{\"failover\":{\"max_attempts\":null}}");
        assertThat(reset.status()).as(reset.body()).isEqualTo(200);
        assertThat(setting(owner, "failover.max_attempts").path("source").asString()).isEqualTo("default");
        assertThat(chat(TestGateway.KEY).statusCode()).isEqualTo(200);
    }

    @Test
    void aReloadWithChangedRoutingOrSettingsWritesAVersionThatNewUsageCarries() throws Exception {
        FakeOpenAi main = fake("sk-fake-main");
        main.always(dev.junction.testing.FakeProvider.text("ok"));
        String channels = "channels:\n" + channel("main", main, "[chat]", "");
        start(channels + "routing:\n  chat: { strategy: priority }\n");
        AdminClient owner = setUp();
        long first = owner.get("/api/versions").json().path("current").asLong();

        assertThat(gateway.gateway().reload("SIGHUP").version()).as("nothing changed: no version").isEqualTo(first);

        writeConfig(channels + "routing:\n  chat: { strategy: cheapest }\nfailover:\n  max_attempts: 2\n");
        var reload = gateway.gateway().reload("SIGHUP");
        assertThat(reload.ok()).isTrue();
        assertThat(reload.version()).isEqualTo(first + 1);
        JsonNode latest = owner.get("/api/versions").json().path("data").get(0);
        assertThat(latest.path("actor").asString()).isEqualTo("SIGHUP");
        assertThat(latest.path("source").asString()).isEqualTo("reload");
        assertThat(latest.path("summary").asString()).isEqualTo(
                "routing of 'chat' changed (strategy); settings 'failover' changed (max_attempts)");
        assertThat(gateway.gateway().router().failover().maxAttempts()).isEqualTo(2);
        assertThat(setting(owner, "failover.max_attempts").path("read_only").asBoolean()).isTrue();
        assertThat(chat(TestGateway.KEY).statusCode()).isEqualTo(200);
        List<java.util.Map<String, Object>> rows = gateway.usageRows(1);
        assertThat(((Number) rows.getLast().get("config_version")).longValue()).isEqualTo(first + 1);
    }

    @Test
    void aFileKeysTeamCountsItsUsageForThatTeam() throws Exception {
        FakeOpenAi main = fake("sk-fake-main");
        main.always(dev.junction.testing.FakeProvider.text("ok"));
        start("keys:\n  - name: test\n    key: " + TestGateway.KEY + "\n    team: Backend\n"
                + "  - name: loner\n    key: sk-loner-file-key\n"
                + "channels:\n" + channel("main", main, "[chat]", ""));
        AdminClient owner = setUp();
        JsonNode teams = owner.get("/api/teams").json().path("data");
        assertThat(teams).hasSize(1);
        assertThat(teams.get(0).path("name").asString()).isEqualTo("backend");
        long team = teams.get(0).path("id").asLong();
        for (int i = 0; i < 3; i++) {
            assertThat(chat(TestGateway.KEY).statusCode()).isEqualTo(200);
        }
        assertThat(chat("sk-loner-file-key").statusCode()).isEqualTo(200);
        List<java.util.Map<String, Object>> rows = gateway.usageRows(4);
        assertThat(rows.stream().filter(r -> r.get("team_id") != null && ((Number) r.get("team_id")).longValue() == team))
                .hasSize(3);
        JsonNode summary = owner.get("/api/usage/summary?team_id=" + team).json();
        assertThat(summary.toString()).contains("\"requests\":3");

        // Moved to another team in the file: a new version, and its next rows count there.
        writeConfig("keys:\n  - name: test\n    key: " + TestGateway.KEY + "\n    team: ops\n"
                + "channels:\n" + channel("main", main, "[chat]", ""));
        assertThat(gateway.gateway().reload("SIGHUP").ok()).isTrue();
        assertThat(owner.get("/api/versions").json().path("data").get(0).path("summary").asString())
                .contains("key 'test' changed (team_id)");
        assertThat(chat(TestGateway.KEY).statusCode()).isEqualTo(200);
        long ops = 0;
        for (JsonNode t : owner.get("/api/teams").json().path("data")) {
            if (t.path("name").asString().equals("ops")) {
                ops = t.path("id").asLong();
            }
        }
        assertThat(ops).isPositive();
        assertThat(((Number) gateway.usageRows(5).getLast().get("team_id")).longValue()).isEqualTo(ops);
    }
}
