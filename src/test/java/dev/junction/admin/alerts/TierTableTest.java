package dev.junction.admin.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.junit.jupiter.api.Test;

/** The one tier table: any column reaching a line sets the tier; the highest line wins. */
class TierTableTest {

    private static Tier tier(long keys, long users, long teams, double usd) {
        return TierTable.STANDARD.tierOf(new Reach(keys, users, teams, Math.round(usd * 1_000_000)));
    }

    @Test
    void eachColumnAloneReachesItsLine() {
        assertThat(tier(0, 0, 0, 0)).isEqualTo(Tier.INFO);
        assertThat(tier(1, 1, 1, 9.99)).isEqualTo(Tier.INFO);
        assertThat(tier(2, 0, 0, 0)).isEqualTo(Tier.WARNING);
        assertThat(tier(0, 2, 0, 0)).isEqualTo(Tier.WARNING);
        assertThat(tier(0, 0, 2, 0)).isEqualTo(Tier.WARNING);
        assertThat(tier(0, 0, 0, 10)).isEqualTo(Tier.WARNING);
        assertThat(tier(10, 0, 0, 0)).isEqualTo(Tier.CRITICAL);
        assertThat(tier(0, 10, 0, 0)).isEqualTo(Tier.CRITICAL);
        assertThat(tier(0, 0, 3, 0)).isEqualTo(Tier.CRITICAL);
        assertThat(tier(1, 1, 1, 100)).isEqualTo(Tier.CRITICAL);
        assertThat(tier(9, 9, 2, 99.99)).isEqualTo(Tier.WARNING);
    }

    @Test
    void aWebhookIsShownAndLoggedByItsOriginOnly() {
        assertThat(Webhooks.origin(URI.create("https://hooks.slack.com/services/T1/B2/SECRET?x=y")))
                .isEqualTo("https://hooks.slack.com");
        assertThat(Webhooks.origin(URI.create("http://127.0.0.1:8080/hook?token=secret")))
                .isEqualTo("http://127.0.0.1:8080");
    }
}
