package dev.junction.ingress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.junction.core.Clock;
import dev.junction.core.GatewayException;
import dev.junction.core.TokenUsage;
import dev.junction.core.ChannelType;
import dev.junction.governance.GatewayKey;
import dev.junction.governance.KeyHasher;
import dev.junction.governance.KeyRing;
import dev.junction.http.Downstream.ClientGoneException;
import dev.junction.ingress.Admission.Recording;
import dev.junction.core.EndReason;
import dev.junction.relay.RelayResult;
import dev.junction.usage.UsageRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@link Admission} without HTTP: the order of its steps, refusals in the route's shape with a usage
 * row, and the settle step of every hold running exactly once however the request ends.
 */
class AdmissionTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final KeyHasher HASHER = KeyHasher.withPepper(new byte[32]);
    private static final KeyRing KEYS = KeyRing.of(HASHER, Map.of(
            HASHER.hash("sk-wide"), new GatewayKey("wide", "…wide", List.of("*")),
            HASHER.hash("sk-narrow"), new GatewayKey("narrow", "…rrow", List.of("gpt-*"))));
    private static final ServedModels MODELS = new ServedModels() {
        @Override
        public boolean serves(String model) {
            return Set.of("gpt-4o", "claude").contains(model);
        }

        @Override
        public Collection<String> names() {
            return List.of("gpt-4o", "claude");
        }

        @Override
        public Optional<ChannelType> firstChannelType(String model) {
            return Optional.empty();
        }
    };

    private final List<String> events = new ArrayList<>();
    private final List<Outcome> settled = new ArrayList<>();
    private final List<UsageRecord> rows = new ArrayList<>();

    /** A check that reserves something and logs when it is taken and settled. */
    private AdmissionCheck reserving(String name) {
        return request -> {
            events.add("admit " + name + " " + request.key().name() + " " + request.subject().model());
            return outcome -> {
                events.add("settle " + name + " " + outcome.getClass().getSimpleName());
                settled.add(outcome);
            };
        };
    }

    private static AdmissionCheck overLimit() {
        return request -> {
            throw GatewayException.rateLimited("Key 'wide' is over its limit of 5 requests per minute.",
                    Duration.ofSeconds(12));
        };
    }

    private Admission admission(AdmissionCheck... checks) {
        return new Admission(new Authenticator(() -> KEYS), MODELS, List.of(checks), rows::add, Clock.system());
    }

    /** The body is the model's name; "{" is a malformed body. */
    private static String model(dev.junction.http.Exchange exchange) {
        String body = new String(exchange.body());
        if (body.equals("{")) {
            throw GatewayException.invalidRequest("The request body is not valid JSON.");
        }
        return body;
    }

    private static FakeExchange request(String key, String model) {
        FakeExchange exchange = new FakeExchange("POST", "/v1/messages", model);
        return key == null ? exchange : exchange.withHeader("x-api-key", key);
    }

    private static RelayResult relayed(int status, EndReason end) {
        return new RelayResult(status, "primary", "gpt-4o-2024-08-06", TokenUsage.NONE, List.of(), 40, end);
    }

    private static JsonNode json(FakeExchange exchange) {
        return JSON.readTree(exchange.answer);
    }

    // --- settle runs exactly once, however the request ends ------------------------------------------

    @Test
    void holdsSettleOnceInReverseOrderWhenTheRequestIsServed() throws Exception {
        RelayResult result = relayed(200, EndReason.DONE);
        admission(reserving("a"), reserving("b")).serve(request("sk-wide", "gpt-4o"), ErrorShape.OPENAI,
                Recording.RECORDED, (exchange, ticket) -> {
                    ticket.admit(AdmissionTest::model, Subject::lookup);
                    events.add("relay");
                    ticket.relayed(result);
                });

        assertThat(events).containsExactly("admit a wide gpt-4o", "admit b wide gpt-4o", "relay",
                "settle b Relayed", "settle a Relayed");
        assertThat(settled).containsOnly(new Outcome.Relayed(result));
        assertThat(rows).singleElement().satisfies(row -> {
            assertThat(row.keyName()).isEqualTo("wide");
            assertThat(row.channel()).isEqualTo("primary");
            assertThat(row.status()).isEqualTo(200);
            assertThat(row.endReason()).isEqualTo(EndReason.DONE);
        });
    }

    @Test
    void aClientThatLeavesMidAnswerSettlesOnceWithTheRelaysResult() throws Exception {
        RelayResult gone = relayed(499, EndReason.CLIENT_GONE);
        admission(reserving("a")).serve(request("sk-wide", "gpt-4o"), ErrorShape.OPENAI, Recording.RECORDED,
                (exchange, ticket) -> {
                    ticket.admit(AdmissionTest::model, Subject::lookup);
                    ticket.relayed(gone);
                });

        assertThat(settled).containsExactly(new Outcome.Relayed(gone));
        assertThat(rows).singleElement().satisfies(row -> assertThat(row.endReason()).isEqualTo(EndReason.CLIENT_GONE));
    }

    @Test
    void aClientGoneBeforeTheAnswerSettlesOnceAndIsRethrown() {
        FakeExchange exchange = request("sk-wide", "gpt-4o");
        assertThatThrownBy(() -> admission(reserving("a")).serve(exchange, ErrorShape.OPENAI, Recording.RECORDED,
                (ex, ticket) -> {
                    ticket.admit(AdmissionTest::model, Subject::lookup);
                    throw new ClientGoneException(null);
                })).isInstanceOf(ClientGoneException.class);

        assertThat(events).containsExactly("admit a wide gpt-4o", "settle a ClientGone");
        assertThat(rows).singleElement().satisfies(row -> {
            assertThat(row.status()).isEqualTo(499);
            assertThat(row.endReason()).isEqualTo(EndReason.CLIENT_GONE);
        });
    }

    @Test
    void aClientGoneWhileItsRefusalIsWrittenStillSettlesOnce() throws Exception {
        FakeExchange exchange = request("sk-wide", "gpt-4o");
        exchange.clientGone = true;
        assertThatThrownBy(() -> admission(reserving("a"), overLimit()).serve(exchange, ErrorShape.OPENAI,
                Recording.RECORDED, (ex, ticket) -> ticket.admit(AdmissionTest::model, Subject::lookup)))
                .isInstanceOf(ClientGoneException.class);

        assertThat(events).containsExactly("admit a wide gpt-4o", "settle a Refused");
        assertThat(rows).hasSize(1);
    }

    @Test
    void anExceptionAfterAdmissionSettlesOnceAndIsRethrown() {
        IllegalStateException bug = new IllegalStateException("a bug");
        assertThatThrownBy(() -> admission(reserving("a")).serve(request("sk-wide", "gpt-4o"), ErrorShape.OPENAI,
                Recording.RECORDED, (ex, ticket) -> {
                    ticket.admit(AdmissionTest::model, Subject::lookup);
                    throw bug;
                })).isSameAs(bug);

        assertThat(settled).containsExactly(new Outcome.Crashed(bug));
        assertThat(rows).singleElement().satisfies(row -> {
            assertThat(row.status()).isEqualTo(500);
            assertThat(row.endReason()).isEqualTo(EndReason.FAILED);
        });
    }

    @Test
    void aLaterCheckRefusingSettlesTheEarlierHoldsAndIsAnsweredInTheRoutesShape() throws Exception {
        FakeExchange exchange = request("sk-wide", "claude");
        admission(reserving("a"), overLimit(), reserving("never")).serve(exchange, ErrorShape.ANTHROPIC,
                Recording.RECORDED, (ex, ticket) -> {
                    ticket.admit(AdmissionTest::model, Subject::lookup);
                    events.add("relay");
                });

        assertThat(events).containsExactly("admit a wide claude", "settle a Refused");
        assertThat(exchange.status).isEqualTo(429);
        assertThat(exchange.responseHeaders).containsEntry("Retry-After", "12");
        assertThat(json(exchange).path("type").asString()).isEqualTo("error");
        assertThat(json(exchange).at("/error/type").asString()).isEqualTo("rate_limit_error");
        assertThat(json(exchange).at("/error/message").asString()).contains("5 requests per minute");
        assertThat(rows).singleElement().satisfies(row -> {
            assertThat(row.status()).isEqualTo(429);
            assertThat(row.keyName()).isEqualTo("wide");
            assertThat(row.publicModel()).isEqualTo("claude");
            assertThat(row.endReason()).isEqualTo(EndReason.REJECTED);
        });
    }

    @Test
    void anAnswerTheGatewayMakesItselfSettlesOnceAndLeavesNoUsageRow() throws Exception {
        FakeExchange exchange = request("sk-wide", "claude");
        admission(reserving("a")).serve(exchange, ErrorShape.ANTHROPIC, Recording.RECORDED, (ex, ticket) -> {
            ticket.admit(AdmissionTest::model, Subject::lookup);
            ex.downstream().respond(200, "application/json", "{\"input_tokens\":3}".getBytes());
            ticket.answered(200);
        });

        assertThat(settled).containsExactly(new Outcome.Answered(200));
        assertThat(rows).isEmpty();
    }

    @Test
    void aHoldWhoseSettleFailsDoesNotKeepTheOthersFromSettling() throws Exception {
        AdmissionCheck broken = request -> outcome -> {
            throw new IllegalStateException("store down");
        };
        admission(reserving("a"), broken, reserving("b")).serve(request("sk-wide", "gpt-4o"), ErrorShape.OPENAI,
                Recording.RECORDED, (ex, ticket) -> {
                    ticket.admit(AdmissionTest::model, Subject::lookup);
                    ticket.answered(200);
                });

        assertThat(events).containsExactly("admit a wide gpt-4o", "admit b wide gpt-4o", "settle b Answered",
                "settle a Answered");
    }

    @Test
    void aTicketClosedTwiceSettlesOnce() {
        Admission admission = admission(reserving("a"));
        FakeExchange exchange = request("sk-wide", "gpt-4o");
        try (Admission.Ticket ticket = admission.open(exchange, Recording.UNRECORDED)) {
            ticket.admit(AdmissionTest::model, Subject::lookup);
            ticket.answered(200);
            ticket.close();
        }
        assertThat(events).containsExactly("admit a wide gpt-4o", "settle a Answered");
    }

    @Test
    void aRouteThatSetsNoOutcomeStillSettlesAsACrash() throws Exception {
        admission(reserving("a")).serve(request("sk-wide", "gpt-4o"), ErrorShape.OPENAI, Recording.UNRECORDED,
                (ex, ticket) -> ticket.admit(AdmissionTest::model, Subject::lookup));
        assertThat(settled).singleElement().isInstanceOf(Outcome.Crashed.class);
    }

    // --- the steps, in order -------------------------------------------------------------------------

    @Test
    void authenticateThenReadThenAllowedThenExistsAndOnlyThenTheChecks() throws Exception {
        record Case(String key, String body, int status, String type) {
        }
        List<Case> cases = List.of(
                new Case(null, "{", 401, "authentication_error"),
                new Case("sk-wrong", "gpt-4o", 401, "authentication_error"),
                new Case("sk-wide", "{", 400, "invalid_request_error"),
                new Case("sk-narrow", "claude", 403, "permission_error"),
                new Case("sk-narrow", "unknown", 403, "permission_error"), // allowed is asked before exists
                new Case("sk-narrow", "gpt-unknown", 404, "not_found_error"),
                new Case("sk-wide", "unknown", 404, "not_found_error"));
        Admission admission = admission(reserving("a"));
        for (Case c : cases) {
            FakeExchange exchange = request(c.key(), c.body());
            admission.serve(exchange, ErrorShape.ANTHROPIC, Recording.RECORDED, (ex, ticket) -> {
                ticket.admit(AdmissionTest::model, Subject::lookup);
                ticket.answered(200);
            });
            assertThat(exchange.status).as(c.toString()).isEqualTo(c.status());
            assertThat(json(exchange).at("/error/type").asString()).as(c.toString()).isEqualTo(c.type());
        }
        assertThat(events).isEmpty();
        assertThat(rows).extracting(UsageRecord::status).containsExactly(401, 401, 400, 403, 403, 404, 404);
        assertThat(rows).extracting(UsageRecord::keyName)
                .containsExactly(null, null, "wide", "narrow", "narrow", "narrow", "wide");
    }

    @Test
    void aKeptAnswerNeedsItsModelAllowedButNotServedAnyMore() throws Exception {
        FakeExchange exchange = request("sk-wide", "");
        admission().serve(exchange, ErrorShape.OPENAI, Recording.UNRECORDED, (ex, ticket) -> {
            ticket.admit(e -> "gpt-retired", Subject::kept);
            ex.downstream().respond(200, "application/json", "{}".getBytes());
            ticket.answered(200);
        });
        assertThat(exchange.status).isEqualTo(200);

        FakeExchange narrow = request("sk-narrow", "");
        admission().serve(narrow, ErrorShape.OPENAI, Recording.UNRECORDED, (ex, ticket) -> {
            ticket.admit(e -> "claude-retired", Subject::kept);
            ticket.answered(200);
        });
        assertThat(narrow.status).isEqualTo(403);
    }

    @Test
    void aMalformedQueryStringIsTheClientsBadRequestAndIsRecorded() throws Exception {
        FakeExchange exchange = request("sk-wide", "gpt-4o");
        exchange.malformedQuery = true;
        admission().serve(exchange, ErrorShape.GEMINI, Recording.RECORDED, (ex, ticket) -> {
            ticket.admit(e -> e.query("alt").orElse("") + model(e), Subject::lookup);
            ticket.answered(200);
        });

        assertThat(exchange.status).isEqualTo(400);
        assertThat(json(exchange).at("/error/status").asString()).isEqualTo("INVALID_ARGUMENT");
        assertThat(json(exchange).at("/error/message").asString()).contains("query string").doesNotContain("%zz");
        assertThat(rows).singleElement().satisfies(row -> assertThat(row.status()).isEqualTo(400));
    }
}
