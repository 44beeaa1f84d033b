package dev.junction.protocol;

import dev.junction.core.TokenUsage;
import java.util.List;
import java.util.Objects;
import tools.jackson.databind.node.ObjectNode;

/**
 * A provider's image generation reached by translation from OpenAI's {@code /v1/images/generations}
 * (Gemini's image models through {@code generateContent}). A {@link ChannelCodec} offers one when
 * its wire format can generate images.
 */
public interface ImagesCodec {

    /**
     * What to draw.
     *
     * @param prompt the description
     * @param n how many images
     * @param size OpenAI's {@code WIDTHxHEIGHT}, or null
     */
    record Request(String prompt, int n, String size) {
        public Request {
            Objects.requireNonNull(prompt, "prompt");
        }
    }

    /** One image, base64-encoded. */
    record Image(String mimeType, String base64) {
    }

    /** What came back. */
    record Generated(List<Image> images, TokenUsage usage) {
        public Generated {
            images = List.copyOf(images);
            Objects.requireNonNull(usage, "usage");
        }
    }

    /**
     * The upstream call.
     *
     * @throws dev.junction.core.GatewayException (400) when the request asks for what the provider cannot do
     */
    ProviderCall call(Request request, String model, String apiKey);

    /**
     * Reads a 2xx answer.
     *
     * @throws MalformedAnswerException when it holds no image
     */
    Generated decode(Request request, ObjectNode answer);
}
