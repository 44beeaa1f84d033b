package dev.junction.protocol.gemini;

import dev.junction.core.canonical.CanonicalResponse;
import dev.junction.core.canonical.Usage;
import dev.junction.protocol.JsonTrees;
import dev.junction.protocol.MalformedAnswerException;
import tools.jackson.databind.node.ObjectNode;

/** Reads a complete {@code generateContent} answer. */
final class GenerateContentDecoder {

    private GenerateContentDecoder() {
    }

    static CanonicalResponse decode(byte[] body, String idSeed, String fallbackModel) {
        ObjectNode root = JsonTrees.object(body);
        if (root.has("error")) {
            throw new MalformedAnswerException("the answer carries an error: " + JsonTrees.excerpt(body));
        }
        CandidateReader reader = new CandidateReader(idSeed);
        var parts = reader.parts(root);
        CandidateReader.Finish finish = reader.finish(root);
        if (finish == null) {
            throw new MalformedAnswerException("the answer has no candidate and no block reason");
        }
        if (finish.error() != null) {
            throw new MalformedAnswerException(finish.error());
        }
        String id = JsonTrees.string(root, "responseId");
        String model = JsonTrees.string(root, "modelVersion");
        return new CanonicalResponse(id == null ? idSeed : id, model == null ? fallbackModel : model, parts,
                finish.refusal(), finish.reason(), CandidateReader.usage(root, Usage.NONE));
    }
}
