package dev.junction.app;

import dev.junction.config.ChannelConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code models: auto}: a channel whose upstream lists its models (a local Ollama, vLLM, OpenRouter)
 * serves every model of {@code GET {base_url}/models} (the OpenAI-compatible list; Ollama answers it
 * at {@code /v1/models}) under its own name. The list is read once, at start-up. An upstream that
 * cannot be asked never stops start-up: the channel is kept with no models and a warning says so.
 */
final class ModelListing {

    private static final Logger LOG = LoggerFactory.getLogger(ModelListing.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** The longest the gateway waits for one upstream's list before starting without it. */
    static final Duration WAIT = Duration.ofSeconds(10);

    private ModelListing() {
    }

    /** The channels, each {@code models: auto} one with the models its upstream lists now. */
    static List<ChannelConfig> resolve(List<ChannelConfig> channels) {
        if (channels.stream().noneMatch(ChannelConfig::listModels)) {
            return channels;
        }
        List<ChannelConfig> resolved = new ArrayList<>(channels.size());
        try (HttpClient client = HttpClient.newBuilder().connectTimeout(WAIT)
                .followRedirects(HttpClient.Redirect.NEVER).build()) {
            for (ChannelConfig channel : channels) {
                resolved.add(channel.listModels() ? resolve(client, channel) : channel);
            }
        }
        return List.copyOf(resolved);
    }

    private static ChannelConfig resolve(HttpClient client, ChannelConfig channel) {
        URI uri = URI.create(channel.baseUrl() + "/models");
        try {
            Map<String, String> models = list(client, uri, channel);
            if (models.isEmpty()) {
                LOG.warn("channel {}: {} lists no model; the channel serves none until the gateway restarts",
                        channel.name(), uri);
            } else {
                LOG.info("channel {}: {} models listed by {}", channel.name(), models.size(), uri);
            }
            return channel.toBuilder().models(models).build();
        } catch (IOException | RuntimeException e) {
            LOG.warn("channel {}: cannot list the models at {} ({}); the channel serves none until the gateway "
                    + "restarts", channel.name(), uri, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return channel.toBuilder().models(Map.of()).build();
    }

    private static Map<String, String> list(HttpClient client, URI uri, ChannelConfig channel)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(WAIT).GET()
                .header("Accept", "application/json");
        if (!channel.apiKeys().isEmpty()) {
            request.header("Authorization", "Bearer " + channel.apiKeys().getFirst());
        }
        HttpResponse<byte[]> response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200) {
            throw new IOException("HTTP " + response.statusCode());
        }
        return models(JSON.readTree(response.body()));
    }

    /** {@code {"data": [{"id": "llama3.2"}, ...]}}: every id, under its own name, in the server's order. */
    static Map<String, String> models(JsonNode list) {
        JsonNode data = list.path("data");
        if (!data.isArray()) {
            throw new IllegalArgumentException("the answer has no data list");
        }
        Map<String, String> models = new LinkedHashMap<>();
        for (JsonNode item : data) {
            String id = item.path("id").asString("");
            if (!id.isBlank()) {
                models.put(id, id);
            }
        }
        return models;
    }
}
