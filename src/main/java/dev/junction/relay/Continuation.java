package dev.junction.relay;

import dev.junction.core.canonical.CanonicalRequest;
import dev.junction.core.canonical.Message;
import dev.junction.core.canonical.Part;
import java.util.ArrayList;
import java.util.List;

/**
 * The request that asks another channel to continue an answer a broken stream left unfinished:
 * the client's request as it was, plus the answer so far as the assistant's turn. A model that
 * takes prefill ({@link Prefill}), when the request does not ask it to think, continues that turn
 * itself; any other is then asked, in a user
 * turn, to go on exactly where it stopped (models that reject a trailing assistant turn, such as
 * Claude 4.6+, accept this one). Whatever the continuation repeats is trimmed by {@link Overlap}.
 */
final class Continuation {

    /** Past this much delivered text an answer is not continued (the request would grow too). */
    static final int MAX_TEXT = 1 << 20;

    static final String PLEASE_CONTINUE = "Your previous answer was cut off. Continue it exactly where it stops, "
            + "without repeating anything and without any preamble.";

    private Continuation() {
    }

    static CanonicalRequest request(CanonicalRequest original, String partial, boolean modelTakesPrefill) {
        // With thinking on, Anthropic requires a final assistant turn to start with a thinking block,
        // which a prefilled partial answer does not: ask in words then.
        boolean prefill = modelTakesPrefill && original.reasoning().isEmpty();
        List<Message> messages = new ArrayList<>(original.messages());
        // Providers refuse a prefilled turn ending in whitespace; the whitespace comes back (or is
        // trimmed as overlap) at the continuation's start.
        String shown = prefill ? partial.stripTrailing() : partial;
        messages.add(Message.assistant(List.of(Part.Text.of(shown.isEmpty() ? partial : shown))));
        if (!prefill) {
            messages.add(Message.user(List.of(Part.Text.of(PLEASE_CONTINUE))));
        }
        return new CanonicalRequest(original.system(), messages, original.tools(), original.toolChoice(),
                original.parallelToolCalls(), original.sampling(), original.reasoning(), original.responseFormat(),
                true, true, original.user());
    }
}
