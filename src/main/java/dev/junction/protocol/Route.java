package dev.junction.protocol;

import dev.junction.core.ChannelQuirks;
import dev.junction.core.TokenUsage;

/**
 * How one channel is asked for one request and how its 2xx answer is taken: the upstream call, and
 * the answer read whole or relayed byte for byte. A {@link PassThrough} also reads an event stream;
 * an {@link EndpointRequest}'s route (embeddings, images, audio, moderations, rerank) never needs
 * to, since those answers are whole or relayed raw.
 */
public interface Route {

    /**
     * The upstream call.
     *
     * @param upstreamModel the channel's name for the model
     * @param apiKey the provider credential, or null for an upstream without auth
     */
    ProviderCall call(String upstreamModel, String apiKey, ChannelQuirks quirks);

    /** Reads a whole 2xx answer. */
    Whole inspect(byte[] body);

    /**
     * Whether a provider's error body reaches the client as the provider wrote it. False for a
     * route whose provider speaks another shape than the client (embeddings from Gemini to an
     * OpenAI client), whose errors are rewritten in the client's shape.
     */
    default boolean verbatimErrors() {
        return true;
    }

    /**
     * Whether a 2xx answer with this {@code Content-Type} (null when absent) goes to the client
     * byte for byte as it arrives, committed at its first byte (speech audio, a transcript as text),
     * rather than read whole ({@link #inspect}) or as events ({@link PassThrough#scanner}).
     */
    default boolean relaysRaw(String contentType) {
        return false;
    }

    /**
     * What a whole answer turned out to be.
     *
     * @param usage tokens, or null when the answer says nothing of them
     * @param problem why this is not a usable answer, or null when it is one
     * @param body what the client gets instead of the provider's bytes, or null for those bytes
     */
    record Whole(TokenUsage usage, Problem problem, byte[] body) {

        public Whole(TokenUsage usage, Problem problem) {
            this(usage, problem, null);
        }

        /** A usable answer. */
        public static Whole answer(TokenUsage usage) {
            return new Whole(usage, null, null);
        }

        /** Not a usable answer. */
        public static Whole problem(Problem problem) {
            return new Whole(null, problem, null);
        }
    }

    /**
     * Why a 2xx answer cannot go to the client. The kind decides how the relay counts the try
     * (garbage from a broken upstream or proxy, or a failure the upstream reported in JSON); the
     * description names it in the attempt's outcome.
     */
    sealed interface Problem {

        /** The problem in words, for the attempt's outcome ({@code HTTP 200 with …}). */
        String description();

        /** The body is not JSON at all: an HTML page from a proxy, a truncated body. */
        NotJson NOT_JSON = new NotJson();

        /** A well-formed body that is not the answer: an error object, missing parts. */
        static Problem notAnAnswer(String description) {
            return new NotAnAnswer(description);
        }

        record NotJson() implements Problem {
            @Override
            public String description() {
                return "a body that is not JSON";
            }
        }

        /** @param description what the body is instead, e.g. {@code an error object instead of a message} */
        record NotAnAnswer(String description) implements Problem {
            public NotAnAnswer {
                java.util.Objects.requireNonNull(description, "description");
            }
        }
    }
}
