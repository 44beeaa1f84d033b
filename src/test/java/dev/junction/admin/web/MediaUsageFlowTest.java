package dev.junction.admin.web;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import dev.junction.ingress.MediaEndpointsTest;
import dev.junction.testing.FakeMedia;
import dev.junction.testing.TestGateway;
import java.nio.file.Files;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Consumption per endpoint in the browser: after chat, image and speech traffic, the overview breaks
 * usage down by endpoint with each one's units, cost and success rate, and charts requests by
 * endpoint over time (the stats API's series by=endpoint), and a request's detail in Logs says what it
 * was billed by.
 */
class MediaUsageFlowTest extends BrowserTest {

    private FakeMedia media;

    private static Page.GetByRoleOptions named(String name) {
        return new Page.GetByRoleOptions().setName(name).setExact(true);
    }

    @Override
    String yaml() {
        try {
            media = FakeMedia.start("sk-media", Files.createDirectories(dir.resolve("fake-files")));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return "channels:\n" + TestGateway.channel("fake-openai", fake, "[gpt-4o-mini]", "")
                + MediaEndpointsTest.mediaChannel("media", media, "sk-media", "{pic: dall-e-3, voice: tts-1}", 0);
    }

    @AfterEach
    void stopMedia() throws Exception {
        if (media != null) {
            media.close();
        }
    }

    @Test
    void theOverviewBreaksConsumptionDownByEndpointAndLogsShowWhatARequestWasBilledBy() throws Exception {
        setUpOwner();
        assertThat(gateway.post("/v1/chat/completions",
                "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}").statusCode())
                .isEqualTo(200);
        assertThat(gateway.post("/v1/images/generations",
                "{\"model\":\"pic\",\"prompt\":\"a fox\",\"n\":2,\"quality\":\"hd\"}").statusCode()).isEqualTo(200);
        assertThat(gateway.post("/v1/audio/speech",
                "{\"model\":\"voice\",\"input\":\"Hello there\",\"voice\":\"alloy\"}").statusCode()).isEqualTo(200);
        gateway.usageRows(3);

        page.getByRole(AriaRole.LINK, named("Overview")).first().click();
        Locator endpoints = page.locator("[data-breakdown=endpoint]");
        assertThat(endpoints.locator("tr[data-endpoint='images/generations']")).containsText("2 images");
        assertThat(endpoints.locator("tr[data-endpoint='images/generations']")).containsText("$0.16");
        assertThat(endpoints.locator("tr[data-endpoint='audio/speech']")).containsText("11 characters");
        assertThat(endpoints.locator("tr[data-endpoint='chat']")).containsText("tokens");
        assertThat(endpoints.locator("tr[data-endpoint='audio/speech'] td").nth(4)).hasText("100.0 %");
        Locator overTime = page.locator("[data-series=endpoint] canvas");
        assertThat(overTime).hasAttribute("data-chart", java.util.regex.Pattern.compile(
                ".*\"label\":\"images/generations\".*"));
        assertThat(overTime.getAttribute("data-chart")).contains("\"label\":\"audio/speech\"")
                .contains("\"label\":\"chat\"");
        shot("overview-endpoints");

        page.getByRole(AriaRole.LINK, named("Logs")).first().click();
        page.getByLabel("Endpoint").selectOption("audio/speech");
        page.getByRole(AriaRole.BUTTON, named("Filter")).click();
        assertThat(page.locator("table.logs tbody tr")).hasCount(1);
        assertThat(page.locator("table.logs tbody")).containsText("voice audio/speech");
        page.getByRole(AriaRole.LINK, named("Clear")).click();
        page.locator("table.logs tr:has-text('pic')").getByRole(AriaRole.LINK).click();
        assertThat(page.locator("[data-fact=endpoint]")).hasText("images/generations");
        assertThat(page.locator("[data-fact=units]")).hasText("2 images (1024x1024 hd)");
        shot("request-units");
    }
}
