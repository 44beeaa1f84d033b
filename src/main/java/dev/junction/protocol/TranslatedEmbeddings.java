package dev.junction.protocol;

import dev.junction.core.ChannelQuirks;
import dev.junction.core.canonical.Embeddings;
import dev.junction.core.canonical.EmbeddingsRequest;
import java.util.Objects;
import java.util.function.Function;
import tools.jackson.databind.node.ObjectNode;

/**
 * Embeddings between two wire formats, meeting in the canonical model: the channel's
 * {@link EmbeddingsCodec} makes the call and reads the answer, and the client's encoder writes it
 * in the client's API. The relay runs it as a route whose whole answer's body is replaced; errors
 * are rewritten in the client's shape, since the provider's are not in it.
 *
 * @param encoder the canonical answer in the client's API
 */
public record TranslatedEmbeddings(EmbeddingsCodec codec, EmbeddingsRequest request,
        Function<Embeddings, byte[]> encoder) implements Route {

    public TranslatedEmbeddings {
        Objects.requireNonNull(codec, "codec");
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(encoder, "encoder");
    }

    @Override
    public ProviderCall call(String upstreamModel, String apiKey, ChannelQuirks quirks) {
        return codec.call(request, upstreamModel, apiKey);
    }

    @Override
    public Whole inspect(byte[] body) {
        ObjectNode answer;
        try {
            answer = JsonTrees.object(body);
        } catch (MalformedAnswerException e) {
            return Whole.problem(Problem.NOT_JSON);
        }
        Embeddings embeddings;
        try {
            embeddings = codec.decode(request, answer);
        } catch (MalformedAnswerException e) {
            return Whole.problem(Problem.notAnAnswer(e.getMessage()));
        }
        return new Whole(embeddings.usage().tokens(), null, encoder.apply(embeddings));
    }

    @Override
    public boolean verbatimErrors() {
        return false;
    }
}
