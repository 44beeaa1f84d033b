package dev.junction.protocol.gemini;

import dev.junction.core.GatewayException;
import dev.junction.core.TokenUsage;
import dev.junction.protocol.ImagesCodec;
import dev.junction.protocol.JsonTrees;
import dev.junction.protocol.MalformedAnswerException;
import dev.junction.protocol.ProviderCall;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Image generation from a gemini channel: Gemini's image models (the {@code gemini-*-image} family)
 * draw through {@code :generateContent} with {@code responseModalities: ["IMAGE"]}; the images come
 * back as {@code inlineData} parts. OpenAI's {@code size} becomes the nearest
 * {@code imageConfig.aspectRatio} Gemini knows; one call makes one image, so {@code n} above 1 is
 * refused rather than silently cut.
 */
final class GeminiImages implements ImagesCodec {

    static final GeminiImages INSTANCE = new GeminiImages();

    private static final Map<String, String> ASPECTS = Map.of("1024x1024", "1:1", "256x256", "1:1", "512x512", "1:1",
            "1792x1024", "16:9", "1024x1792", "9:16", "1536x1024", "3:2", "1024x1536", "2:3");

    private GeminiImages() {
    }

    @Override
    public ProviderCall call(Request request, String model, String apiKey) {
        if (request.n() > 1) {
            throw GatewayException.invalidRequest("This model's gemini channel makes one image per request; send n=1 "
                    + "(or several requests).");
        }
        String name = model.startsWith("models/") ? model.substring(7) : model;
        ObjectNode body = JsonTrees.MAPPER.createObjectNode();
        body.putArray("contents").addObject().put("role", "user").putArray("parts").addObject()
                .put("text", request.prompt());
        ObjectNode config = body.putObject("generationConfig");
        config.putArray("responseModalities").add("IMAGE");
        if (request.size() != null && !request.size().equals("auto")) {
            String aspect = ASPECTS.get(request.size());
            if (aspect == null) {
                throw GatewayException.invalidRequest("size '" + request.size() + "' has no Gemini aspect ratio; use "
                        + "1024x1024, 1536x1024, 1024x1536, 1792x1024 or 1024x1792.");
            }
            config.putObject("imageConfig").put("aspectRatio", aspect);
        }
        Map<String, String> headers = new HashMap<>();
        if (apiKey != null) {
            headers.put("x-goog-api-key", apiKey);
        }
        return new ProviderCall("/v1beta/models/" + name + ":generateContent", headers, JsonTrees.bytes(body));
    }

    @Override
    public Generated decode(Request request, ObjectNode answer) {
        List<Image> images = new ArrayList<>();
        for (JsonNode candidate : answer.path("candidates")) {
            for (JsonNode part : candidate.path("content").path("parts")) {
                JsonNode inline = part.has("inlineData") ? part.get("inlineData") : part.get("inline_data");
                if (inline != null && inline.path("data").isString()) {
                    String mime = inline.path("mimeType").asString(inline.path("mime_type").asString("image/png"));
                    images.add(new Image(mime, inline.get("data").asString()));
                }
            }
        }
        if (images.isEmpty()) {
            String reason = answer.at("/promptFeedback/blockReason").asString(
                    answer.at("/candidates/0/finishReason").asString("no image part"));
            throw new MalformedAnswerException("no image in the answer (" + reason + ")");
        }
        TokenUsage usage = GeminiPassThrough.usage(answer);
        return new Generated(images, usage == null ? TokenUsage.NONE : usage);
    }
}
