package dev.junction.admin.web;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

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
 * The Settings page's gateway settings in the browser: a value the config binder refuses shows its
 * message next to the field; a valid one is saved and the next request runs on it (real traffic
 * through fake providers); a setting the config file gives is read-only, marked so.
 */
class SettingsFlowsTest extends BrowserTest {

    private FakeOpenAi broken;

    @Override
    String yaml() {
        try {
            broken = FakeOpenAi.start();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        broken.always(FakeProvider.status(500));
        return "channels:\n" + TestGateway.channel("broken", broken, "[chat]", "priority: 10")
                + TestGateway.channel("fake-openai", fake, "[chat]", "priority: 1")
                + "failover:\n  request_timeout: 2m\n  breaker:\n    consecutive_failures: 50\n";
    }

    @AfterEach
    void stopBroken() throws Exception {
        if (broken != null) {
            broken.close();
        }
    }

    private HttpResponse<String> chat() throws Exception {
        return gateway.post("/v1/chat/completions",
                "{\"model\":\"chat\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
    }

    @Test
    void aSettingChangedOnThePageAppliesToTheNextRequestAndAFileSettingIsReadOnly() throws Exception {
        setUpOwner();
        HttpResponse<String> failedOver = chat();
        assertThat(failedOver.statusCode()).isEqualTo(200);
        assertThat(failedOver.headers().firstValue("x-junction-attempts")).hasValue("2");

        page.navigate(url("/settings"));
        Locator timeout = page.getByLabel("Request timeout (all attempts)");
        assertThat(timeout).hasValue("2m");
        assertThat(timeout).hasAttribute("readonly", "");
        assertThat(page.locator("[data-setting='failover.request_timeout']")).containsText("from the config file");
        Locator attempts = page.getByLabel("Most attempts per request");
        assertThat(attempts).hasValue("5");

        // Refused by the config file's binder: the message next to the field, nothing changes.
        attempts.fill("0");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Save settings")).click();
        assertThat(page.getByLabel("Most attempts per request")).hasAttribute("aria-invalid", "true");
        assertThat(page.locator("[data-setting='failover.max_attempts'] .field-error"))
                .containsText("must be at least 1");
        shot("settings-error");
        assertThat(chat().headers().firstValue("x-junction-attempts")).hasValue("2");

        // A valid value: saved, and the next request makes one attempt only.
        page.getByLabel("Most attempts per request").fill("1");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Save settings")).click();
        page.waitForURL(u -> u.contains("done=settings"));
        assertThat(page.getByLabel("Most attempts per request")).hasValue("1");
        assertThat(page.locator("[data-setting='failover.max_attempts']")).containsText("set here by user root");
        assertThat(page.locator("table.versions tbody tr").first()).containsText("settings 'failover' changed (max_attempts)");
        shot("settings-saved");
        HttpResponse<String> next = chat();
        assertThat(next.statusCode()).isEqualTo(503);
        assertThat(next.headers().firstValue("x-junction-attempts")).hasValue("1");

        // Emptied: back to the default.
        page.getByLabel("Most attempts per request").fill("");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Save settings")).click();
        page.waitForURL(u -> u.contains("done=settings"));
        assertThat(page.getByLabel("Most attempts per request")).hasValue("5");
        assertThat(chat().statusCode()).isEqualTo(200);
    }
}
