package dev.junction.admin.web;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.APIResponse;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import dev.junction.testing.FakeOpenAi;
import dev.junction.testing.FakeProvider;
import dev.junction.testing.TestGateway;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Routing page's editors in the browser: set a model's strategy, change a channel's weight and see
 * both the explain view and real traffic (through fake providers) move; a rule the config binder
 * refuses shows its message next to the field. And the Overview's "right now": a channel cooling
 * after a 429 is listed as cooling until the time its rest ends.
 */
class RoutingFlowsTest extends BrowserTest {

    private FakeOpenAi left;
    private FakeOpenAi right;
    private FakeOpenAi cooler;

    private static Page.GetByRoleOptions named(String name) {
        return new Page.GetByRoleOptions().setName(name).setExact(true);
    }

    @Override
    String yaml() {
        try {
            left = FakeOpenAi.start();
            right = FakeOpenAi.start();
            cooler = FakeOpenAi.start();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        cooler.always(FakeProvider.status(429, Map.of("Retry-After", "120")));
        return "channels:\n" + TestGateway.channel("fake-openai", fake, "[gpt-4o-mini]", "")
                + TestGateway.channel("cooler", cooler, "{cool: gpt-4o-mini}", "");
    }

    @AfterEach
    void stopFakes() throws Exception {
        for (FakeOpenAi f : new FakeOpenAi[] {left, right, cooler}) {
            if (f != null) {
                f.close();
            }
        }
    }

    private void addChannel(String name, FakeOpenAi upstream, int weight) {
        page.navigate(url("/channels"));
        page.getByRole(AriaRole.LINK, named("Add channel")).click();
        page.getByLabel("Name", new Page.GetByLabelOptions().setExact(true)).fill(name);
        page.getByLabel("Public model name 1").fill("pool");
        page.getByLabel("Upstream model name 1").fill("gpt-4o-mini");
        page.getByLabel("Provider API keys").fill("sk-" + name + "-0001");
        page.getByLabel("Base URL").fill(upstream.baseUrl());
        page.getByLabel("Weight (share within a priority)").fill(Integer.toString(weight));
        page.getByRole(AriaRole.BUTTON, named("Add channel")).click();
        page.waitForURL(u -> u.contains("done=created"));
    }

    private String served() throws Exception {
        HttpResponse<String> reply = gateway.post("/v1/chat/completions",
                "{\"model\":\"pool\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertThat(reply.statusCode()).as(reply.body()).isEqualTo(200);
        return reply.headers().firstValue("x-junction-channel").orElse("");
    }

    @Test
    void settingTheStrategyAndChangingAWeightMovesTheExplainViewAndTheTraffic() throws Exception {
        setUpOwner();
        addChannel("left", left, 10);
        addChannel("right", right, 1);

        page.navigate(url("/routing?model=pool"));
        page.getByLabel("Strategy").selectOption("priority");
        page.getByRole(AriaRole.BUTTON, named("Save rules")).click();
        page.waitForURL(u -> u.contains("done=saved"));
        assertThat(page.locator("dl.facts")).containsText("priority");
        Locator first = page.locator("table.candidates tbody tr").first();
        assertThat(first).containsText("left");
        assertThat(first).containsText("0 / 10");
        shot("strategy-priority");
        for (int i = 0; i < 4; i++) {
            assertThat(served()).isEqualTo("left");
        }
        assertThat(left.requestCount()).isEqualTo(4);
        assertThat(right.requestCount()).isZero();

        page.getByLabel("Weight of right").fill("50");
        page.getByRole(AriaRole.BUTTON, named("Save weights")).click();
        page.waitForURL(u -> u.contains("done=saved"));
        assertThat(page.getByLabel("Weight of right")).hasValue("50");
        assertThat(page.locator("table.candidates tbody tr").first()).containsText("right");
        assertThat(page.locator("table.candidates tbody tr").first()).containsText("0 / 50");
        shot("weight-changed");
        for (int i = 0; i < 4; i++) {
            assertThat(served()).isEqualTo("right");
        }
        assertThat(left.requestCount()).isEqualTo(4);
        assertThat(right.requestCount()).isEqualTo(4);

        // A rule the config file's binder refuses: its message next to the field, nothing changes.
        page.getByLabel("Model for simple requests").fill("gpt-4o-mini");
        page.getByRole(AriaRole.BUTTON, named("Save rules")).click();
        Locator hard = page.getByLabel("Model for hard requests");
        assertThat(hard).hasAttribute("aria-invalid", "true");
        assertThat(page.locator("#f-rules-complexity\\.hard-error")).containsText("missing: the public model for hard requests");
        assertThat(page.getByLabel("Model for simple requests")).hasValue("gpt-4o-mini");
        shot("rule-error");
        assertThat(served()).isEqualTo("right");

        // The file's channel serving another model is read-only on its pool.
        page.navigate(url("/routing?model=gpt-4o-mini"));
        assertThat(page.locator("table.pool")).containsText("from the config file");
        assertThat(page.getByLabel("Weight of fake-openai")).hasCount(0);
    }

    @Test
    void aChannelCoolingAfterA429ShowsOnTheOverviewAsCoolingUntilItsTime() throws Exception {
        setUpOwner();
        HttpResponse<String> limited = gateway.post("/v1/chat/completions",
                "{\"model\":\"cool\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertThat(limited.statusCode()).isIn(429, 503);
        APIResponse explain = page.request().get(url("/api/routing/explain?model=cool"));
        assertThat(explain.status()).isEqualTo(200);
        JsonNode excluded = JsonMapper.builder().build().readTree(explain.text()).path("excluded").get(0);
        assertThat(excluded.path("reason").asString()).isEqualTo("cooling");
        Instant until = Instant.parse(excluded.path("until").asString());
        assertThat(Duration.between(clock.now(), until).toSeconds()).isBetween(100L, 130L);
        String hhmmss = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC).format(until);

        page.navigate(url("/"));
        Locator cooling = page.locator("[data-now=channels] li[data-channel=cooler]");
        assertThat(cooling).containsText("cooling until " + hhmmss + " UTC");
        assertThat(page.locator("[data-now=channels]")).not().containsText("fake-openai");
        shot("overview-cooling");

        // Once the rest is over the channel is back in rotation.
        clock.advance(Duration.between(clock.now(), until).plusSeconds(1));
        page.navigate(url("/"));
        assertThat(page.locator("[data-now=channels]")).containsText("Every channel is in rotation.");
    }
}
