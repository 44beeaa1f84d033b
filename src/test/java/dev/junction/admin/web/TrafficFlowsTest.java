package dev.junction.admin.web;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import dev.junction.testing.FakeOpenAi;
import dev.junction.testing.FakeProvider;
import dev.junction.testing.TestGateway;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Channels and keys in the browser: add a channel (errors next to the field, the model-mapping
 * editor) and press Test, create a key and send traffic with it (failing over from a broken channel
 * of the config file).
 */
class TrafficFlowsTest extends BrowserTest {

    private FakeOpenAi broken;

    private static Page.GetByRoleOptions named(String name) {
        return new Page.GetByRoleOptions().setName(name).setExact(true);
    }

    @Override
    String yaml() {
        try {
            broken = FakeOpenAi.start();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        broken.always(FakeProvider.status(500));
        return "channels:\n" + TestGateway.channel("fake-openai", fake, "[gpt-4o-mini]", "")
                + TestGateway.channel("broken", broken, "{ui-model: gpt-4o-mini}", "priority: 10\n");
    }

    @AfterEach
    void stopBroken() throws Exception {
        if (broken != null) {
            broken.close();
        }
    }

    @Test
    void addAChannelTestItCreateAKeyAndSendTrafficWithIt() throws Exception {
        setUpOwner();
        page.getByRole(AriaRole.LINK, named("Channels")).first().click();
        Locator fileRow = page.locator("#channel-1, tr:has-text('fake-openai')").first();
        assertThat(fileRow).containsText("from the config file");
        page.getByRole(AriaRole.LINK, named("Add channel")).click();

        page.getByLabel("Name", new Page.GetByLabelOptions().setExact(true)).fill("fake-ui");
        page.getByLabel("Public model name 1").fill("ui-model");
        page.getByLabel("Upstream model name 1").fill("gpt-4o-mini");
        page.getByLabel("Provider API keys").fill("sk-fake-ui-0001\nsk-fake-ui-0002");
        page.getByLabel("Base URL").fill("ftp://example.com");
        page.getByRole(AriaRole.BUTTON, named("Add channel")).click();
        assertThat(page.locator("#f-base_url-error")).containsText("http(s)");
        assertThat(page.getByLabel("Base URL")).hasAttribute("aria-invalid", "true");
        assertThat(page.getByLabel("Public model name 1")).hasValue("ui-model");
        shot("channel-error");
        page.getByLabel("Base URL").fill(fake.baseUrl());
        page.getByRole(AriaRole.BUTTON, named("Add a model")).click();
        assertThat(page.locator("#model-rows tr")).hasCount(4);
        page.getByRole(AriaRole.BUTTON, named("Add channel")).click();
        page.waitForURL(u -> u.contains("done=created"));
        Locator row = page.locator("tr:has-text('fake-ui')");
        assertThat(row).containsText("ui-model → gpt-4o-mini");
        assertThat(row).containsText("…0001");
        assertThat(row).not().containsText("sk-fake-ui-0001");
        row.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Test")).click();
        assertThat(row.locator(".test-result")).containsText("OK in");
        shot("channel-tested");

        page.getByRole(AriaRole.LINK, named("Keys")).first().click();
        page.getByLabel("Name", new Page.GetByLabelOptions().setExact(true)).fill("laptop");
        page.getByLabel("Models (comma-separated; * for all, globs like claude-*)").fill("ui-model");
        page.getByRole(AriaRole.BUTTON, named("Create key")).click();
        String key = page.locator("#new-key-secret").textContent().strip();
        assertThat(key).isNotBlank();
        assertThat(page.locator("#snippet-curl")).containsText(key);
        assertThat(page.locator("#snippet-curl")).containsText("ui-model");
        assertThat(page.locator(".snippets")).containsText("Claude Code");
        assertThat(page.locator(".snippets")).containsText("Gemini CLI");
        shot("key-created");

        HttpResponse<String> reply = gateway.post("/v1/chat/completions",
                "{\"model\":\"ui-model\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", key);
        assertThat(reply.statusCode()).as(reply.body()).isEqualTo(200);
        HttpResponse<String> refused = gateway.post("/v1/chat/completions",
                "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", key);
        assertThat(refused.statusCode()).isEqualTo(403);
    }

    @Test
    void aMemberSeesTheirOwnKeysButNoChannels() throws Exception {
        setUpOwner();
        page.navigate(url("/users"));
        page.getByLabel("Name", new Page.GetByLabelOptions().setExact(true)).fill("mia");
        page.getByLabel("Password (at least 8 characters)").fill(PASSWORD);
        page.getByLabel("Role").selectOption("member");
        page.getByRole(AriaRole.BUTTON, named("Add user")).click();
        page.waitForURL(u -> u.contains("done=user-created"));
        page.navigate(url("/keys"));
        page.getByLabel("Name", new Page.GetByLabelOptions().setExact(true)).fill("owners-key");
        page.getByRole(AriaRole.BUTTON, named("Create key")).click();
        assertThat(page.locator("#new-key-secret")).isVisible();

        BrowserContext memberContext = browser.newContext();
        try {
            Page member = newPage(memberContext);
            signIn(member, "mia", PASSWORD);
            assertThat(member.locator("nav.side")).not().containsText("Channels");
            assertThat(member.locator("nav.side")).containsText("Keys");
            member.navigate(url("/keys"));
            assertThat(member.locator("table.keys")).not().containsText("owners-key");
            member.getByLabel("Name", new Page.GetByLabelOptions().setExact(true)).fill("mias-key");
            member.getByRole(AriaRole.BUTTON, named("Create key")).click();
            String key = member.locator("#new-key-secret").textContent().strip();
            assertThat(gateway.post("/v1/chat/completions",
                    "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", key)
                    .statusCode()).isEqualTo(200);
            assertThat(gateway.post("/v1/chat/completions",
                    "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                    .statusCode()).isEqualTo(200);
            member.navigate(url("/channels"));
            assertThat(member.locator("h1")).hasText("Not allowed");
            shot(member, "member-channels");
        } finally {
            memberContext.close();
        }
    }
}
