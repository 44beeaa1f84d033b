package dev.junction.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.admin.AdminClient.Response;
import dev.junction.testing.FakeWebhookReceiver;
import dev.junction.testing.PostgresSchema;
import dev.junction.testing.TestGateway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link AlertWebhooksApiTest} on PostgreSQL, and two instances sharing it: a webhook made, changed
 * and deleted through one instance's API is what the other lists and sends its alerts to, at once.
 */
class AlertWebhooksApiPostgresTest extends AlertWebhooksApiTest {

    @RegisterExtension
    final PostgresSchema postgres = new PostgresSchema("junction_hooks");

    @Override
    String databaseUrl() {
        return postgres.url();
    }

    @Test
    void aWebhookMadeThroughOneInstanceIsUsedByTheOther() throws Exception {
        TestGateway first = gateway();
        TestGateway second = gateway();
        AdminClient one = owner(first);
        AdminClient two = owner(second);

        assertThat(one.post("/api/alerts/webhooks", slackHook()).status()).isEqualTo(201);
        assertThat(hook(two, "team-slack")).as("listed by the other instance").isNotNull();

        fail(second, 2);
        second.usageRows(2);
        Response evaluated = two.post("/api/alerts/evaluate", null);
        assertThat(evaluated.json().path("fired")).hasSize(1);
        assertThat(receiver.await(p -> p.path().equals(PATH_SECRET) && p.body().contains("firing"), 1))
                .singleElement().satisfies(p -> assertThat(p.authorization()).isEqualTo(HEADER_SECRET));

        Response disabled = one.send("PUT", "/api/alerts/webhooks/team-slack", "{\"enabled\":false}");
        assertThat(disabled.status()).as(disabled.body()).isEqualTo(200);
        assertThat(hook(two, "team-slack").path("enabled").asBoolean()).isFalse();
        clock.advance(java.time.Duration.ofMinutes(11));
        assertThat(second.gateway().alerts().evaluate().recovered()).hasSize(1);
        second.gateway().alerts().webhooks().drain(java.time.Duration.ofSeconds(5));
        assertThat(second.gateway().alerts().store().open()).as("nothing failed since: recovered").isEmpty();
        assertThat(one.delete("/api/alerts/webhooks/team-slack").status()).isEqualTo(204);
        assertThat(hook(two, "team-slack")).isNull();
        assertThat(receiver.posts()).as("the recovery was not sent to the disabled webhook")
                .noneMatch(p -> p.body().contains("recovered"));
    }
}
