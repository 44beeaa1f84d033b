package dev.junction.protocol;

import java.util.Objects;

/** How one channel serves an {@link EndpointRequest}, or why it cannot. */
public sealed interface EndpointRoute {

    /** The channel serves the request by this route. */
    record Served(Route route) implements EndpointRoute {
        public Served {
            Objects.requireNonNull(route, "route");
        }
    }

    /**
     * The channel's API has no such endpoint (speech from an Anthropic channel): the channel is
     * skipped without a verdict, and the client is told in these words if no channel has it.
     */
    record Missing(String message) implements EndpointRoute {
        public Missing {
            Objects.requireNonNull(message, "message");
        }
    }

    /**
     * The channel has the endpoint but cannot take this request (embeddings as base64 from a Gemini
     * channel, embeddings from an Anthropic one): the client's to fix, a 400 in these words.
     */
    record Refused(String message) implements EndpointRoute {
        public Refused {
            Objects.requireNonNull(message, "message");
        }
    }
}
