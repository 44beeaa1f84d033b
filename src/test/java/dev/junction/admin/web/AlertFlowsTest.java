package dev.junction.admin.web;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import com.microsoft.playwright.options.SelectOption;
import dev.junction.testing.FakeProvider;
import dev.junction.testing.FakeWebhookReceiver;
import dev.junction.testing.TestGateway;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/**
 * Alerts in the browser: failing traffic makes the error-rate rule fire on Check now, shown with
 * its tier and reach; a team member asks for a silence with a reason and a link (a too-short reason
 * is refused at its field); the owner approves it; the next check ends the alert quietly. Webhooks
 * are added (a metadata URL refused at its field), tested against a real receiver, changed and
 * deleted on the page, which never shows their URL path or header value.
 */
class AlertFlowsTest extends BrowserTest {

    private static final Page.GetByLabelOptions EXACT = new Page.GetByLabelOptions().setExact(true);

    private static Page.GetByRoleOptions named(String name) {
        return new Page.GetByRoleOptions().setName(name).setExact(true);
    }

    @Override
    String yaml() {
        return "channels:\n" + TestGateway.channel("fake-openai", fake, "[gpt-4o-mini]", "") + """
                alerts:
                  every: 1h
                  rules:
                    - { name: errors, kind: error_rate, threshold: 0.5, window: 10m, min_requests: 3 }
                  webhooks:
                    - { name: ops-file, url: "https://hooks.example.com/services/FILESECRET", min_tier: critical }
                """;
    }

    @Test
    void aWebhookIsAddedTestedChangedAndDeletedOnTheAlertsPageWithoutShowingItsSecrets() throws Exception {
        try (FakeWebhookReceiver receiver = FakeWebhookReceiver.start(0)) {
            setUpOwner();
            page.navigate(url("/alerts"));
            Locator hooks = page.locator("table.webhooks tbody tr");
            assertThat(hooks).hasCount(1);
            assertThat(hooks.first()).containsText("ops-file");
            assertThat(hooks.first()).containsText("from the config file");
            assertThat(hooks.first()).containsText("https://hooks.example.com/…");
            assertThat(hooks.first().getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Delete")))
                    .hasCount(0);

            Locator add = page.locator("form[action='/alerts/webhooks']");
            page.getByText("Add a webhook").click();
            add.getByLabel("Name", new Locator.GetByLabelOptions().setExact(true)).fill("meta");
            add.getByLabel("URL", new Locator.GetByLabelOptions().setExact(true))
                    .fill("http://169.254.169.254/latest/meta-data");
            add.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Add webhook")).click();
            assertThat(page.locator("#f-webhook-url-error")).containsText("metadata");
            shot("webhook-refused");

            add = page.locator("form[action='/alerts/webhooks']");
            add.getByLabel("Name", new Locator.GetByLabelOptions().setExact(true)).fill("team-slack");
            add.getByLabel("URL", new Locator.GetByLabelOptions().setExact(true))
                    .fill(receiver.url("/services/T1/B1/SECRETPATH"));
            add.getByLabel("Body").selectOption("slack");
            add.getByLabel("Header name (optional, e.g. Authorization)").fill("Authorization");
            add.getByLabel("Header value").fill("Bearer SECRET-TOKEN-XYZ9");
            add.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Add webhook")).click();
            page.waitForURL(u -> u.contains("done=webhook-added"));
            Locator made = page.locator("tr[data-webhook='team-slack']");
            assertThat(made).containsText(receiver.url("") + "/…");
            assertThat(made).containsText("Authorization: …XYZ9");
            assertThat(made).containsText("slack");
            assertThat(page.content()).doesNotContain("SECRETPATH").doesNotContain("SECRET-TOKEN")
                    .doesNotContain("FILESECRET");
            shot("webhook-added");

            made.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Test")).click();
            page.waitForURL(u -> u.contains("done=webhook-tested"));
            assertThat(receiver.await(p -> p.path().equals("/services/T1/B1/SECRETPATH"), 1)).singleElement()
                    .satisfies(p -> assertThat(p.authorization()).isEqualTo("Bearer SECRET-TOKEN-XYZ9"));

            made = page.locator("tr[data-webhook='team-slack']");
            made.getByText("Change").click();
            made.getByLabel("Send").selectOption("critical");
            made.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Save")).click();
            page.waitForURL(u -> u.contains("done=webhook-saved"));
            assertThat(page.locator("tr[data-webhook='team-slack']")).containsText("critical");
            assertThat(page.locator("tr[data-webhook='team-slack']")).containsText("Authorization: …XYZ9");
            shot("webhook-changed");

            page.locator("tr[data-webhook='team-slack']").getByRole(AriaRole.BUTTON,
                    new Locator.GetByRoleOptions().setName("Delete")).click();
            page.waitForURL(u -> u.contains("done=webhook-deleted"));
            assertThat(page.locator("tr[data-webhook='team-slack']")).hasCount(0);
            assertThat(page.locator("table.webhooks tbody tr")).hasCount(1);
        }
    }

    @Test
    void failingTrafficFiresAMemberAsksForASilenceAndTheOwnerApprovesIt() throws Exception {
        setUpOwner();
        page.getByRole(AriaRole.LINK, named("Users & teams")).first().click();
        page.waitForURL(url("/users"));
        page.getByLabel("Name", new Page.GetByLabelOptions().setExact(true)).fill("mia");
        page.getByLabel("Password (at least 8 characters)").fill(PASSWORD);
        page.getByLabel("Role").selectOption("member");
        page.getByRole(AriaRole.BUTTON, named("Add user")).click();
        page.waitForURL(u -> u.contains("done=user-created"));
        page.getByLabel("New team's name").fill("research");
        page.getByRole(AriaRole.BUTTON, named("Add team")).click();
        page.waitForURL(u -> u.contains("done=team-created"));
        page.getByLabel("Add a member").selectOption(new SelectOption().setLabel("mia"));
        page.getByRole(AriaRole.BUTTON, named("Add to team")).click();
        assertThat(page.locator("ul.members")).containsText("mia");

        fake.always(FakeProvider.status(500));
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> reply = gateway.post("/v1/chat/completions",
                    "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
            assertThat(reply.statusCode()).isGreaterThanOrEqualTo(500);
        }
        gateway.usageRows(3);

        page.getByRole(AriaRole.LINK, named("Alerts")).first().click();
        page.waitForURL(url("/alerts"));
        assertThat(page.locator("table.alerts.firing")).containsText("Nothing is firing.");
        assertThat(page.locator("table.tiers")).containsText("critical");
        assertThat(page.locator("table.rules")).containsText("from the config file");
        page.getByRole(AriaRole.BUTTON, named("Check now")).click();
        page.waitForURL(u -> u.contains("done=checked"));
        Locator firing = page.locator("table.alerts.firing tbody tr");
        assertThat(firing).hasCount(1);
        assertThat(firing).containsText("model:gpt-4o-mini");
        assertThat(firing).containsText("100 % of 3 requests to gpt-4o-mini failed (5xx)");
        assertThat(firing).containsText("1 key, 0 users");
        assertThat(firing.locator("[data-tier]")).hasText("info");
        shot("alerts-firing");

        BrowserContext memberContext = browser.newContext(new com.microsoft.playwright.Browser.NewContextOptions()
                .setViewportSize(1280, 860));
        try {
            Page member = newPage(memberContext);
            signIn(member, "mia", PASSWORD);
            member.navigate(url("/alerts"));
            assertThat(member.getByRole(AriaRole.BUTTON, named("Check now"))).hasCount(0);
            member.getByText("Ask for an exception").click();
            member.getByLabel("Team", EXACT).selectOption(new SelectOption().setLabel("research"));
            member.getByLabel("Rule", EXACT).selectOption("errors");
            member.getByLabel("Model", EXACT).fill("gpt-4o-mini");
            member.getByLabel("Reason", EXACT).fill("noisy");
            member.getByLabel("Evidence link").fill("https://status.example/incidents/7");
            member.getByLabel("Days until it ends (at most 90)").fill("2");
            member.getByRole(AriaRole.BUTTON, named("Ask")).click();
            assertThat(member.locator("#f-reason-error")).containsText("at least 10 characters");
            assertThat(member.getByLabel("Model", EXACT)).hasValue("gpt-4o-mini");
            member.getByLabel("Reason", EXACT).fill("The upstream is rolling out a new region; errors are expected today.");
            member.getByRole(AriaRole.BUTTON, named("Ask")).click();
            member.waitForURL(u -> u.contains("done=asked"));
            Locator asked = member.locator("table.exceptions tbody tr");
            assertThat(asked).containsText("pending");
            assertThat(asked).containsText("research");
            assertThat(asked.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Approve")))
                    .hasCount(0);
            shot(member, "exception-asked");
        } finally {
            memberContext.close();
        }

        page.navigate(url("/alerts"));
        Locator request = page.locator("table.exceptions tbody tr");
        assertThat(request).containsText("mia");
        assertThat(request.locator("a[href='https://status.example/incidents/7']")).hasCount(1);
        request.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Approve")).click();
        page.waitForURL(u -> u.contains("done=approved"));
        assertThat(page.locator("table.exceptions tbody tr")).containsText("approved");
        page.getByRole(AriaRole.BUTTON, named("Check now")).click();
        page.waitForURL(u -> u.contains("done=checked"));
        assertThat(page.locator("table.alerts.firing")).containsText("Nothing is firing.");
        assertThat(page.locator("table.alerts.resolved tbody tr")).hasCount(1);
        shot("alerts-exception-approved");
    }
}
