package dev.junction.fuzz;

import dev.junction.core.ChannelApi;
import dev.junction.core.ChannelQuirks;
import dev.junction.core.ChannelType;
import dev.junction.core.canonical.CanonicalRequest;
import dev.junction.protocol.ChannelCodec;
import dev.junction.protocol.ClientRequest;
import dev.junction.protocol.EndpointRequest;
import dev.junction.protocol.EndpointRoute;
import dev.junction.protocol.TranslatableRequest;
import dev.junction.protocol.anthropic.AnthropicCodec;
import dev.junction.protocol.gemini.GeminiCodec;
import dev.junction.protocol.openai.OpenAiCodec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Everything the gateway does with a parsed client request before a byte goes upstream: the
 * pass-through body for every channel API that speaks the client's API (model swapped, quirks
 * applied), the canonical form for every other one, and that form encoded for every channel type,
 * with and without channel quirks.
 */
final class ClientRequests {

    /** A channel that drops, defaults and refuses {@code stream_options}: every body edit at once. */
    static final ChannelQuirks QUIRKY = new ChannelQuirks(Set.of("temperature", "max_tokens", "tools"),
            Map.of("max_tokens", 1000L, "top_p", 0.5, "user", "fuzz"), false);

    private static final List<ChannelQuirks> QUIRKS = List.of(ChannelQuirks.NONE, QUIRKY);

    private static final List<ChannelCodec> CODECS =
            List.of(OpenAiCodec.INSTANCE, AnthropicCodec.INSTANCE, GeminiCodec.INSTANCE);

    private static final List<ChannelApi> APIS = List.of(ChannelApi.of(ChannelType.OPENAI),
            new ChannelApi(ChannelType.OPENAI, true), ChannelApi.of(ChannelType.ANTHROPIC),
            ChannelApi.of(ChannelType.GEMINI));

    private ClientRequests() {
    }

    /**
     * Builds every upstream form of {@code request}. Each step may refuse with the client's 400;
     * the canonical forms are returned for a caller that also wants to encode them.
     */
    static List<CanonicalRequest> exercise(ClientRequest request) throws Exception {
        request.model();
        request.stream();
        List<CanonicalRequest> canonical = new ArrayList<>();
        switch (request) {
            case EndpointRequest endpoint -> {
                for (ChannelApi api : APIS) {
                    for (ChannelQuirks quirks : QUIRKS) {
                        Outcomes.clientInput(() -> {
                            if (endpoint.route(api) instanceof EndpointRoute.Served served) {
                                served.route().call("upstream-model", "sk-fuzz", quirks);
                            }
                        });
                    }
                }
            }
            case TranslatableRequest chat -> {
                for (ChannelApi api : APIS) {
                    for (ChannelQuirks quirks : QUIRKS) {
                        Outcomes.clientInput(() -> chat.passThrough(api)
                                .ifPresent(pass -> pass.call("upstream-model", "sk-fuzz", quirks)));
                    }
                }
                for (ChannelApi api : APIS) {
                    for (ChannelQuirks quirks : QUIRKS) {
                        Outcomes.clientInput(() -> canonical.add(chat.canonical(quirks)));
                    }
                }
            }
        }
        for (CanonicalRequest form : canonical) {
            for (ChannelCodec codec : CODECS) {
                for (ChannelQuirks quirks : QUIRKS) {
                    Outcomes.clientInput(() -> codec.prepare(form, "upstream-model", "sk-fuzz", "seed000001", quirks));
                }
            }
        }
        return canonical;
    }
}
