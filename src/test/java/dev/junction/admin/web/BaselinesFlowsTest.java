package dev.junction.admin.web;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import dev.junction.config.ConfigLoader;
import dev.junction.testing.FakeProvider;
import dev.junction.testing.TestGateway;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Versions and baselines in the browser: traffic under one version, the channel's prices doubled
 * (a new version), traffic again; the overview's chart carries the version marker and lists it, and
 * the Versions &amp; baselines page calls the cost change (and not the unchanged tokens), projects the
 * month and shows the version's author and diff.
 */
class BaselinesFlowsTest extends BrowserTest {

    private static Page.GetByRoleOptions named(String name) {
        return new Page.GetByRoleOptions().setName(name).setExact(true);
    }

    private String channels(String input, String output) {
        return "channels:\n" + TestGateway.channel("fake-openai", fake, "{chat: m-1, warm: m-1}",
                "prices:\n  m-1: { input: " + input + ", output: " + output + " }\n");
    }

    @Override
    String yaml() {
        return channels("1.00", "2.00");
    }

    private void traffic(int n, SplittableRandom random) throws Exception {
        traffic("chat", n, random);
    }

    /** Requests to {@code model}; "warm" warms the gateway's code up, so chat's latency is steady from the start. */
    private void traffic(String model, int n, SplittableRandom random) throws Exception {
        for (int i = 0; i < n; i++) {
            String content = "tokens " + random.nextInt(50, 151) + " " + random.nextInt(20, 81);
            HttpResponse<String> reply = gateway.post("/v1/chat/completions",
                    "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"" + content + "\"}]}");
            assertThat(reply.statusCode()).as(reply.body()).isEqualTo(200);
        }
    }

    @Test
    void aPriceChangeIsAVersionOnTheChartsAndACalledChangeOnTheBaselinesPage() throws Exception {
        fake.always(new FakeProvider.Scripted(request -> {
            String[] words = request.body().path("messages").get(0).path("content").asString().split(" ");
            return new FakeProvider.Text("ok", 1, Long.parseLong(words[1]), Long.parseLong(words[2]));
        }));
        setUpOwner();
        traffic("warm", 30, new SplittableRandom(10));
        traffic(30, new SplittableRandom(11));
        clock.advance(Duration.ofMinutes(30));
        var doubled = ConfigLoader.withEnvironment(Map.<String, String>of()::get).parse("test.yaml",
                TestGateway.configText(channels("2.00", "4.00"), "sqlite:unused.db")).channels();
        long version = gateway.gateway().live().replaceFileChannels(doubled, "ops: prices doubled").configVersion();
        traffic(30, new SplittableRandom(12));
        gateway.usageRows(90);
        clock.advance(Duration.ofMinutes(30));

        page.navigate(url("/"));
        assertThat(page.locator("[data-stat=requests]")).hasText("90");
        Locator timeline = page.locator("[data-timeline]");
        assertThat(timeline).containsText("v" + version);
        assertThat(timeline).containsText("channel 'fake-openai' changed (prices)");
        Object markers = page.evaluate("() => document.querySelector('canvas[data-chart]').chart"
                + ".options.plugins.versionMarkers.markers.map(m => m.label).join(',')");
        assertThat(String.valueOf(markers)).contains("v" + version);
        shot("overview-versions");

        page.getByRole(AriaRole.LINK, named("Versions & baselines")).first().click();
        assertThat(page.locator("h2").first()).containsText("Version " + version + " compared with version "
                + (version - 1));
        assertThat(page.locator("[data-flagged=some]")).containsText("cost per request +");
        Locator card = page.locator("[data-baseline=chat]");
        assertThat(card.locator("tr[data-metric=cost_per_request]")).containsText("changed");
        assertThat(card.locator("tr[data-metric=cost_per_request]")).containsText("since version " + (version - 1));
        assertThat(card.locator("tr[data-metric=tokens_per_request]")).containsText("within noise");
        assertThat(card.locator("tr:has-text('Requests')").first()).containsText("30");
        assertThat(page.locator("[data-projection=model]")).containsText("chat");
        assertThat(page.locator("[data-projection=key]")).containsText("test");
        Locator row = page.locator("#version-" + version);
        assertThat(row).containsText("ops: prices doubled");
        assertThat(row).containsText("channel 'fake-openai' changed (prices)");
        row.locator("summary").click();
        assertThat(row.locator("pre.diff")).containsText("\"prices\"");
        shot("baselines");

        page.getByLabel("Version", new Page.GetByLabelOptions().setExact(true)).fill(String.valueOf(version - 1));
        page.getByRole(AriaRole.BUTTON, named("Compare")).click();
        assertThat(page.locator("[data-baseline=chat] tr[data-metric=cost_per_request]")).containsText("collecting");
    }
}
