package dev.junction.protocol.openai;

import dev.junction.core.GatewayException;
import dev.junction.core.canonical.CanonicalRequest;
import dev.junction.core.canonical.Media;
import dev.junction.core.canonical.Message;
import dev.junction.core.canonical.Part;
import dev.junction.core.canonical.ResponseFormat;
import dev.junction.core.canonical.Sampling;
import dev.junction.core.canonical.Tool;
import dev.junction.core.canonical.ToolChoice;
import dev.junction.protocol.Documents;
import dev.junction.protocol.JsonTrees;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Writes a canonical request as a chat-completions body for an OpenAI-style provider (OpenAI,
 * DeepSeek, Zhipu, Qwen, Ollama, vLLM…). It writes the forms every such provider accepts: one
 * leading {@code system} message (several providers reject {@code developer}, and some chat
 * templates a second system message), string content where the content is one text, parameters
 * only when the client set them, the default {@code tool_choice} and {@code parallel_tool_calls}
 * left out. Prompt-cache marks are not sent: these providers cache prefixes by themselves, and
 * some reject an unknown {@code cache_control}.
 */
final class ChatRequestEncoder {

    private final String model;
    private final ArrayNode messages = JsonTrees.MAPPER.createArrayNode();
    /** Images and documents of the tool results just written, for the user message that follows them. */
    private final List<Part> toolMedia = new ArrayList<>();

    private ChatRequestEncoder(String model) {
        this.model = model;
    }

    static ObjectNode encode(CanonicalRequest request, String model) {
        return new ChatRequestEncoder(model).body(request);
    }

    private ObjectNode body(CanonicalRequest request) {
        ObjectNode body = JsonTrees.MAPPER.createObjectNode();
        body.put("model", model);
        system(request.system());
        boolean replayReasoning = replaysReasoning(model);
        for (Message message : request.messages()) {
            message(message, replayReasoning);
        }
        flushToolMedia();
        body.set("messages", messages);
        tools(body, request);
        sampling(body, request.sampling());
        switch (request.responseFormat()) {
            case ResponseFormat.Text _ -> {
            }
            case ResponseFormat.JsonObject _ -> body.putObject("response_format").put("type", "json_object");
            case ResponseFormat.JsonSchema schema -> {
                ObjectNode spec = body.putObject("response_format").put("type", "json_schema")
                        .putObject("json_schema").put("name", schema.name());
                spec.putRawValue("schema", JsonTrees.raw(schema.schemaJson()));
            }
        }
        request.reasoning().ifPresent(effort -> body.put("reasoning_effort",
                effort.name().toLowerCase(Locale.ROOT)));
        if (request.user() != null && !request.user().isEmpty()) {
            body.put("user", request.user());
        }
        if (request.stream()) {
            body.put("stream", true);
            // Always asked for: the gateway counts the tokens of every stream, not only when the client wants them.
            body.putObject("stream_options").put("include_usage", true);
        }
        return body;
    }

    /**
     * OpenAI's reasoning models (o1, o3, o4-mini, gpt-5…) refuse {@code max_tokens}; most other
     * OpenAI-style providers know only {@code max_tokens}.
     */
    static boolean completionTokensOnly(String model) {
        String name = model.toLowerCase(Locale.ROOT);
        return name.startsWith("gpt-5")
                || name.length() > 1 && name.charAt(0) == 'o' && Character.isDigit(name.charAt(1));
    }

    /**
     * Whether earlier reasoning goes back as {@code reasoning_content}. DeepSeek's and Kimi's
     * thinking models answer 400 when a tool loop's assistant turns come back without it, while
     * other providers (OpenAI, Cerebras) reject the unknown field; so it is sent only to those.
     */
    static boolean replaysReasoning(String model) {
        String name = model.toLowerCase(Locale.ROOT);
        return name.contains("deepseek") || name.contains("kimi");
    }

    // --- messages --------------------------------------------------------------------------------

    /** All instructions in one leading system message, joined as the Anthropic encoder joins them. */
    private void system(List<Part.Text> system) {
        if (system.isEmpty()) {
            return;
        }
        StringBuilder text = new StringBuilder();
        for (Part.Text part : system) {
            text.append(text.isEmpty() ? "" : "\n\n").append(part.text());
        }
        messages.addObject().put("role", "system").put("content", text.toString());
    }

    /**
     * One canonical message: its tool results become {@code tool} messages (first, as they must
     * follow the assistant's calls), the rest one user or assistant message.
     */
    private void message(Message message, boolean replayReasoning) {
        List<Part> rest = new ArrayList<>(message.parts().size());
        for (Part part : message.parts()) {
            if (part instanceof Part.ToolResult result) {
                toolResult(result);
            } else {
                rest.add(part);
            }
        }
        if (rest.isEmpty()) {
            return;
        }
        if (message.role() == Message.Role.ASSISTANT) {
            flushToolMedia();
            assistant(rest, replayReasoning);
        } else {
            ArrayNode content = JsonTrees.MAPPER.createArrayNode();
            toolMedia.forEach(part -> userPart(part, content));
            toolMedia.clear();
            rest.forEach(part -> userPart(part, content));
            if (!content.isEmpty()) {
                messages.addObject().put("role", "user").set("content", simplify(content));
            }
        }
    }

    /**
     * A tool message holds text only: the result's text parts joined. Its images and documents go
     * in the user message after this run of tool messages (one is added if none follows),
     * introduced by the call they came from.
     */
    private void toolResult(Part.ToolResult result) {
        String id = ToolCallIds.outgoing(result.callId());
        messages.addObject().put("role", "tool").put("tool_call_id", id).put("content", result.text());
        List<Part> media = result.content().stream().filter(p -> !(p instanceof Part.Text)).toList();
        if (!media.isEmpty()) {
            toolMedia.add(Part.Text.of("The result of tool call " + id + " also holds:"));
            toolMedia.addAll(media);
        }
    }

    private void flushToolMedia() {
        if (toolMedia.isEmpty()) {
            return;
        }
        ArrayNode content = JsonTrees.MAPPER.createArrayNode();
        toolMedia.forEach(part -> userPart(part, content));
        toolMedia.clear();
        messages.addObject().put("role", "user").set("content", content);
    }

    /** Text in {@code content}, reasoning where it is replayed, calls in {@code tool_calls}. */
    private void assistant(List<Part> parts, boolean replayReasoning) {
        StringBuilder text = new StringBuilder();
        StringBuilder reasoning = new StringBuilder();
        ArrayNode calls = JsonTrees.MAPPER.createArrayNode();
        for (Part part : parts) {
            switch (part) {
                case Part.Text t -> text.append(t.text());
                case Part.Reasoning r -> reasoning.append(r.text());
                case Part.RedactedReasoning _ -> {
                    // Another provider's encrypted reasoning: meaningless here.
                }
                case Part.ToolCall call -> {
                    ObjectNode entry = calls.addObject().put("id", ToolCallIds.outgoing(call.id()))
                            .put("type", "function");
                    entry.putObject("function").put("name", call.name())
                            .put("arguments", call.arguments().isBlank() ? "{}" : call.arguments());
                }
                case Part.Image _, Part.Document _ -> throw GatewayException.invalidRequest("An assistant message "
                        + "holds an image or a document, which OpenAI-style providers do not take in assistant turns.");
                case Part.ToolResult _ -> throw new IllegalStateException("handled by the caller");
            }
        }
        if (text.isEmpty() && calls.isEmpty()) {
            return; // reasoning alone is not a turn these providers accept
        }
        ObjectNode message = messages.addObject().put("role", "assistant");
        if (text.isEmpty()) {
            message.putNull("content");
        } else {
            message.put("content", text.toString());
        }
        if (replayReasoning && !reasoning.isEmpty()) {
            message.put("reasoning_content", reasoning.toString());
        }
        if (!calls.isEmpty()) {
            message.set("tool_calls", calls);
        }
    }

    private static void userPart(Part part, ArrayNode content) {
        switch (part) {
            case Part.Text text -> content.addObject().put("type", "text").put("text", text.text());
            case Part.Image image -> content.addObject().put("type", "image_url").putObject("image_url")
                    .put("url", url(image.source()));
            case Part.Document document -> document(document, content);
            case Part.Reasoning _, Part.RedactedReasoning _, Part.ToolCall _, Part.ToolResult _ -> {
                // Not user content; canonical decoders never put them here.
            }
        }
    }

    /**
     * Text documents as text; other inline documents (PDF) as a {@code file} part with
     * {@code file_data}, which OpenAI requires a {@code filename} with. Chat completions take no
     * file by URL.
     */
    private static void document(Part.Document document, ArrayNode content) {
        switch (document.source()) {
            case Media.Inline inline when Documents.isText(inline) -> content.addObject().put("type", "text")
                    .put("text", Documents.text(inline));
            case Media.Inline inline -> {
                String filename = document.filename() == null || document.filename().isEmpty()
                        ? "document." + extension(inline.mediaType()) : document.filename();
                content.addObject().put("type", "file").putObject("file").put("filename", filename)
                        .put("file_data", url(inline));
            }
            case Media.Url url -> throw GatewayException.invalidRequest("The document at " + url.url()
                    + " is given by URL, which OpenAI-style chat completions cannot fetch; send it inline (base64).");
        }
    }

    private static String url(Media media) {
        return switch (media) {
            case Media.Url url -> url.url();
            case Media.Inline inline -> "data:" + inline.mediaType() + ";base64," + inline.base64();
        };
    }

    private static String extension(String mediaType) {
        int slash = mediaType.indexOf('/');
        String subtype = slash < 0 ? "" : mediaType.substring(slash + 1);
        return subtype.matches("[a-z0-9]{1,10}") ? subtype : "bin";
    }

    /** A content that is one text part goes as a plain string, which every provider takes. */
    private static JsonNode simplify(ArrayNode content) {
        if (content.size() == 1 && "text".equals(JsonTrees.string(content.get(0), "type"))) {
            return content.get(0).get("text");
        }
        return content;
    }

    // --- tools and parameters --------------------------------------------------------------------

    private static void tools(ObjectNode body, CanonicalRequest request) {
        if (request.tools().isEmpty()) {
            return; // OpenAI refuses tool_choice and parallel_tool_calls without tools
        }
        ArrayNode list = body.putArray("tools");
        for (Tool tool : request.tools()) {
            ObjectNode function = list.addObject().put("type", "function").putObject("function")
                    .put("name", tool.name());
            if (!tool.description().isEmpty()) {
                function.put("description", tool.description());
            }
            function.putRawValue("parameters", JsonTrees.raw(tool.parametersJson()));
        }
        switch (request.toolChoice()) {
            case ToolChoice.Auto _ -> {
                // The default; not every provider knows the field.
            }
            case ToolChoice.None _ -> body.put("tool_choice", "none");
            case ToolChoice.Required _ -> body.put("tool_choice", "required");
            case ToolChoice.Named named -> body.putObject("tool_choice").put("type", "function")
                    .putObject("function").put("name", named.name());
        }
        if (!request.parallelToolCalls()) {
            body.put("parallel_tool_calls", false);
        }
    }

    private void sampling(ObjectNode body, Sampling sampling) {
        String limit = completionTokensOnly(model) ? "max_completion_tokens" : "max_tokens";
        sampling.maxTokens().ifPresent(n -> body.put(limit, n));
        sampling.temperature().ifPresent(t -> body.put("temperature", t));
        sampling.topP().ifPresent(p -> body.put("top_p", p));
        // No top_k: OpenAI's chat completions refuse it ("Unrecognized request argument supplied"). A
        // chat client that sends it to an OpenAI-style server that knows it takes the pass-through path.
        if (!sampling.stop().isEmpty()) {
            ArrayNode stops = body.putArray("stop");
            sampling.stop().forEach(stops::add);
        }
        sampling.seed().ifPresent(s -> body.put("seed", s));
        sampling.presencePenalty().ifPresent(p -> body.put("presence_penalty", p));
        sampling.frequencyPenalty().ifPresent(p -> body.put("frequency_penalty", p));
    }
}
