package dev.junction.admin.alerts;

import dev.junction.store.AlertStore.AlertRow;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Locale;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Webhook bodies: the generic JSON document, and a Slack-compatible one ({@code text} plus one
 * {@code mrkdwn} section block, which Slack incoming webhooks and the many receivers that copy them
 * accept).
 */
public final class Payloads {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private Payloads() {
    }

    static byte[] body(String format, Notice notice) {
        ObjectNode node = format.equals("slack") ? slack(notice) : json(notice);
        return JSON.writeValueAsString(node).getBytes(StandardCharsets.UTF_8);
    }

    /** The alert as the API shows it (the admin API's list and the webhooks' body). */
    public static ObjectNode alert(AlertRow a) {
        ObjectNode node = JSON.createObjectNode();
        node.put("id", a.id());
        node.put("rule", a.rule());
        node.put("kind", a.kind());
        node.put("tier", a.tier());
        node.put("state", a.open() ? "firing" : "resolved");
        node.put("subject", a.subject());
        if (a.model().isPresent()) {
            node.put("model", a.model().get());
        } else {
            node.putNull("model");
        }
        node.put("value", a.value());
        node.put("threshold", a.threshold());
        node.put("summary", a.summary());
        ObjectNode reach = node.putObject("reach");
        reach.put("keys", a.reachKeys());
        reach.put("users", a.reachUsers());
        reach.put("teams", a.reachTeams());
        reach.put("spend_usd", a.reachMicros() / 1e6);
        var teamIds = reach.putArray("team_ids");
        a.teamIds().stream().sorted().forEach(teamIds::add);
        node.put("started_at", Instant.ofEpochMilli(a.startedMillis()).toString());
        node.put("updated_at", Instant.ofEpochMilli(a.updatedMillis()).toString());
        if (a.resolvedMillis().isPresent()) {
            node.put("resolved_at", Instant.ofEpochMilli(a.resolvedMillis().getAsLong()).toString());
        } else {
            node.putNull("resolved_at");
        }
        return node;
    }

    static ObjectNode json(Notice notice) {
        ObjectNode node = JSON.createObjectNode();
        node.put("event", notice.event().wire());
        node.put("tier", notice.alert().tier());
        node.put("text", line(notice));
        node.set("alert", alert(notice.alert()));
        node.put("sent_at", notice.at().toString());
        return node;
    }

    static ObjectNode slack(Notice notice) {
        ObjectNode node = JSON.createObjectNode();
        node.put("text", line(notice));
        ObjectNode section = node.putArray("blocks").addObject();
        section.put("type", "section");
        ObjectNode text = section.putObject("text");
        text.put("type", "mrkdwn");
        AlertRow a = notice.alert();
        text.put("text", String.format(Locale.ROOT, "%s *%s* `%s` %s on `%s`%n%s%nReach: %d keys, %d users, %d teams, $%.2f",
                icon(notice), a.tier().toUpperCase(Locale.ROOT), a.rule(), notice.event().wire(), a.subject(),
                a.summary(), a.reachKeys(), a.reachUsers(), a.reachTeams(), a.reachMicros() / 1e6));
        return node;
    }

    /** One line for a human: "[WARNING] firing: errors on model:x: 100 % of 4 requests to x failed (5xx) in 10 minutes". */
    static String line(Notice notice) {
        AlertRow a = notice.alert();
        String event = notice.event() == Notice.Event.RECOVERED ? "recovered" : notice.event().wire();
        return "[" + a.tier().toUpperCase(Locale.ROOT) + "] " + event + ": " + a.rule() + " on " + a.subject() + ": "
                + a.summary();
    }

    private static String icon(Notice notice) {
        if (notice.event() == Notice.Event.RECOVERED) {
            return ":white_check_mark:";
        }
        return switch (notice.tier()) {
            case CRITICAL -> ":red_circle:";
            case WARNING -> ":large_orange_circle:";
            case INFO -> ":large_blue_circle:";
        };
    }
}
