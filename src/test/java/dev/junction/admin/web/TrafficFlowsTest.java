package dev.junction.admin.web;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.APIResponse;
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
 * Channels, keys, traffic, overview and logs in the browser: add a channel and press Test, create a
 * key, send traffic with it (failing over from a broken channel of the config file), then see it on
 * the overview and in the logs with both attempts.
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
    void addAChannelTestItCreateAKeySendTrafficAndSeeItInTheOverviewAndTheLogs() throws Exception {
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
        page.getByLabel("Base URL").fill("http://169.254.169.254/latest");
        page.getByRole(AriaRole.BUTTON, named("Add channel")).click();
        assertThat(page.locator("#f-base_url-error")).containsText("metadata");
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
        gateway.usageRows(2);

        page.getByRole(AriaRole.LINK, named("Overview")).first().click();
        assertThat(page.locator("[data-stat=requests]")).hasText("2");
        assertThat(page.locator("[data-stat=success]")).hasText("50.0 %");
        assertThat(page.locator("[data-breakdown=model]")).containsText("ui-model");
        assertThat(page.locator("[data-breakdown=key]")).containsText("laptop");
        assertThat(page.locator("canvas").first()).isVisible();
        shot("overview");
        page.getByRole(AriaRole.LINK, named("Hour")).click();
        assertThat(page.locator("[data-stat=requests]")).hasText("2");

        page.getByRole(AriaRole.LINK, named("Logs")).first().click();
        Locator served = page.locator("table.logs tr:has-text('ui-model'):has-text('200')");
        assertThat(served).hasCount(1);
        assertThat(served).containsText("2 attempts");
        page.getByLabel("Status").fill("403");
        page.getByRole(AriaRole.BUTTON, named("Filter")).click();
        assertThat(page.locator("table.logs tbody tr")).hasCount(1);
        assertThat(page.locator("table.logs tbody")).containsText("403");
        shot("logs-filtered");
        String exportHref = page.locator("a.export").getAttribute("href");
        assertThat(exportHref).startsWith("/api/usage/export?").contains("status=403");
        APIResponse filteredCsv = page.request().get(url(exportHref));
        assertThat(filteredCsv.status()).isEqualTo(200);
        assertThat(filteredCsv.text()).contains("403").doesNotContain("ui-model");
        APIResponse csv = page.request().get(url("/api/usage/export?status=200"));
        assertThat(csv.status()).isEqualTo(200);
        assertThat(csv.text()).contains("ui-model");
        page.getByRole(AriaRole.LINK, named("Clear")).click();
        page.locator("table.logs tr:has-text('ui-model'):has-text('200')").getByRole(AriaRole.LINK).click();
        Locator attempts = page.locator("table.attempts tbody tr");
        assertThat(attempts).hasCount(2);
        assertThat(attempts.nth(0)).containsText("broken");
        assertThat(attempts.nth(0)).containsText("500");
        assertThat(attempts.nth(1)).containsText("fake-ui");
        assertThat(attempts.nth(1)).containsText("…0001");
        shot("request-detail");

        // The routing view explains the pool now: the channel that served is a candidate, and a
        // request with tools is explained against what each channel's model can do.
        page.getByRole(AriaRole.LINK, named("Routing")).first().click();
        page.getByLabel("Public model").selectOption("ui-model");
        page.getByRole(AriaRole.BUTTON, named("Explain")).click();
        assertThat(page.locator("table.candidates")).containsText("fake-ui");
        assertThat(page.locator("dl.facts")).containsText("weighted");
        shot("routing");
    }

    @Test
    void aMemberSeesTheirOwnKeysAndUsageButNoChannels() throws Exception {
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
            gateway.usageRows(2);
            // The member's row carries their user id (from the key's owner): their overview and logs
            // show their one request, not the config key's.
            member.navigate(url("/"));
            assertThat(member.locator("[data-stat=requests]")).hasText("1");
            assertThat(member.locator("[data-breakdown=key]")).containsText("mias-key");
            shot(member, "member-overview");
            member.navigate(url("/logs"));
            assertThat(member.locator("table.logs tbody tr")).hasCount(1);
            member.navigate(url("/channels"));
            assertThat(member.locator("h1")).hasText("Not allowed");
            shot(member, "member-channels");
        } finally {
            memberContext.close();
        }
        page.navigate(url("/"));
        assertThat(page.locator("[data-stat=requests]")).hasText("2");
    }

    @Test
    void aLimitSetOnTheBudgetsPageRefusesTheRequestPastIt() throws Exception {
        setUpOwner();
        page.navigate(url("/keys"));
        page.getByLabel("Name", new Page.GetByLabelOptions().setExact(true)).fill("metered");
        page.getByRole(AriaRole.BUTTON, named("Create key")).click();
        String key = page.locator("#new-key-secret").textContent().strip();

        page.getByRole(AriaRole.LINK, named("Budgets & limits")).first().click();
        assertThat(page.locator("table.budgets")).containsText("No limits or budgets yet.");
        page.getByLabel("Applies to").selectOption(new com.microsoft.playwright.options.SelectOption()
                .setLabel("Key metered"));
        page.getByLabel("Requests per minute").fill("1");
        page.getByLabel("Budget in dollars").fill("20");
        page.getByRole(AriaRole.BUTTON, named("Save")).click();
        page.waitForURL(u -> u.contains("done=saved"));
        Locator row = page.locator("table.budgets tr:has-text('metered')");
        assertThat(row).containsText("0 / 1");
        assertThat(row).containsText("per month");

        String chat = "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        assertThat(gateway.post("/v1/chat/completions", chat, key).statusCode()).isEqualTo(200);
        assertThat(gateway.post("/v1/chat/completions", chat, key).statusCode()).isEqualTo(429);
        page.reload();
        assertThat(page.locator("table.budgets tr:has-text('metered')")).containsText("1 / 1");
        shot("budgets");
    }
}
