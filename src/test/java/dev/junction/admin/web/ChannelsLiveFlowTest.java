package dev.junction.admin.web;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Locator;
import dev.junction.testing.FakeOpenAi;
import dev.junction.testing.FakeProvider;
import dev.junction.testing.TestGateway;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The Channels page's live state in the browser: after a provider answers 429 with Retry-After: 120
 * the channel shows "cooling until" the time its rest ends; a key the provider refuses shows as
 * disabled by its last four characters; a channel at its {@code limits: {rpm: 1}} shows the limit, its
 * use and until when; the healthy one says so. Then, once the rest is over, the cooled channel is
 * healthy again.
 */
class ChannelsLiveFlowTest extends BrowserTest {

    private static final DateTimeFormatter HHMMSS = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);

    private FakeOpenAi cooler;
    private FakeOpenAi locked;
    private FakeOpenAi capped;

    @Override
    String yaml() {
        try {
            cooler = FakeOpenAi.start();
            locked = FakeOpenAi.start();
            capped = FakeOpenAi.start();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        cooler.always(FakeProvider.status(429, Map.of("Retry-After", "120")));
        locked.always(FakeProvider.status(401));
        capped.always(FakeProvider.text("ok"));
        return "channels:\n" + TestGateway.channel("fake-openai", fake, "[gpt-4o-mini]", "")
                + TestGateway.channel("cooler", cooler, "{cool: gpt-4o-mini}", "")
                + TestGateway.channel("locked", locked, "{lock: gpt-4o-mini}", "")
                + TestGateway.channel("capped", capped, "{cap: gpt-4o-mini}", "limits: { rpm: 1 }\npriority: 7\nweight: 3");
    }

    @AfterEach
    void stopFakes() throws Exception {
        for (FakeOpenAi f : new FakeOpenAi[] {cooler, locked, capped}) {
            if (f != null) {
                f.close();
            }
        }
    }

    private HttpResponse<String> chat(String model) throws Exception {
        return gateway.post("/v1/chat/completions",
                "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
    }

    /** Every HH:mm:ss from {@code from} to {@code to}, as a regex alternation. */
    private static String seconds(Instant from, Instant to) {
        List<String> times = new ArrayList<>();
        for (Instant t = from.minusMillis(from.toEpochMilli() % 1000); !t.isAfter(to); t = t.plusSeconds(1)) {
            times.add(HHMMSS.format(t));
        }
        return "(" + String.join("|", times) + ")";
    }

    @Test
    void aChannelThatGotA429WithRetryAfterShowsCoolingUntilItsRestEnds() throws Exception {
        setUpOwner();
        Instant before = clock.now();
        assertThat(chat("cool").statusCode()).isIn(429, 503);
        Instant after = clock.now();
        assertThat(chat("lock").statusCode()).isGreaterThanOrEqualTo(400);
        assertThat(chat("cap").statusCode()).isEqualTo(200);
        assertThat(chat("gpt-4o-mini").statusCode()).isEqualTo(200);
        gateway.usageRows(4);

        page.navigate(url("/channels"));
        Locator coolerRow = page.locator("tr:has(strong:text-is('cooler'))");
        String expected = seconds(before.plusSeconds(120), after.plusSeconds(120));
        assertThat(coolerRow.locator("td[data-state]")).hasAttribute("data-state", "cooling");
        assertThat(coolerRow.locator("td[data-state]"))
                .containsText(Pattern.compile("cooling until " + expected + " UTC"));

        Locator lockedRow = page.locator("tr:has(strong:text-is('locked'))");
        assertThat(lockedRow.locator("td.keys")).containsText("…cked");
        assertThat(lockedRow.locator("td.keys")).containsText("disabled");
        assertThat(lockedRow.locator("td[data-state]")).containsText("every key disabled");

        Locator cappedRow = page.locator("tr:has(strong:text-is('capped'))");
        assertThat(cappedRow.locator("td[data-state]")).containsText(Pattern.compile("rpm reached until \\d\\d:\\d\\d:\\d\\d UTC"));
        assertThat(cappedRow.locator("td.limits")).containsText("requests/min 1 / 1 (0 left)");
        assertThat(cappedRow).containsText("7 / 3");

        Locator healthyRow = page.locator("tr:has(strong:text-is('fake-openai'))");
        assertThat(healthyRow.locator("td[data-state]")).hasText("healthy");
        assertThat(healthyRow.locator("td.limits")).hasText("none");
        assertThat(healthyRow).containsText(Pattern.compile("\\d+ % \\(1\\)"));
        shot("channels-live");

        // Once the rest is over the channel is healthy again.
        clock.advance(Duration.ofSeconds(125));
        page.navigate(url("/channels"));
        assertThat(coolerRow.locator("td[data-state]")).hasText("healthy");
    }
}
