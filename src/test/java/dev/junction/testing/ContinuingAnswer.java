package dev.junction.testing;

import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import tools.jackson.databind.JsonNode;

/**
 * The answer the continuation tests cut and continue: numbered pieces ({@code "part0 part1 …"}), and
 * a backup that continues it as a provider would, whatever the client's API.
 */
public final class ContinuingAnswer {

    private ContinuingAnswer() {
    }

    /** Pieces {@code from} (inclusive) to {@code to} (exclusive), each followed by a space. */
    public static String pieces(int from, int to) {
        return IntStream.range(from, to).mapToObj(i -> "part" + i + " ").collect(Collectors.joining());
    }

    /** The role of a request's last message (Messages and Chat both have {@code messages}). */
    public static String lastRole(FakeProvider.Received request) {
        JsonNode messages = request.body().path("messages");
        return messages.isEmpty() ? "" : messages.get(messages.size() - 1).path("role").asString("");
    }

    /** The last message's text, as Messages or Chat carry it. */
    public static String lastText(FakeProvider.Received request) {
        JsonNode messages = request.body().path("messages");
        JsonNode content = messages.get(messages.size() - 1).path("content");
        return content.isString() ? content.asString() : content.valueStream()
                .map(block -> block.path("text").asString("")).collect(Collectors.joining());
    }

    /**
     * A backup that continues an answer of {@code pieces} cut after {@code beforeBreak}: after a
     * prefilled turn, the rest (with the space the prefill lost), or a 400 when it
     * {@code rejectsPrefill}; asked in words, the rest preceded by a repeat of the last two pieces
     * (overlap); any other request gets a fresh answer.
     */
    public static FakeProvider.Reply continuing(boolean rejectsPrefill, int beforeBreak, int pieces) {
        return new FakeProvider.Scripted(request -> {
            if (lastRole(request).equals("assistant")) {
                return rejectsPrefill
                        ? FakeProvider.status(400, "{\"type\":\"error\",\"error\":{\"type\":\"invalid_request_error\","
                                + "\"message\":\"This model does not support assistant message prefill.\"}}", Map.of())
                        : new FakeProvider.Text(" " + pieces(beforeBreak, pieces), 20, 13, 20);
            }
            if (lastText(request).contains("Continue")) {
                return new FakeProvider.Text(pieces(beforeBreak - 2, pieces), 20, 13, 20);
            }
            return FakeProvider.text("a fresh answer, not a continuation");
        });
    }
}
