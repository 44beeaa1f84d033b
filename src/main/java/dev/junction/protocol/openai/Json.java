package dev.junction.protocol.openai;

import java.io.ByteArrayOutputStream;
import java.util.function.Consumer;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.json.JsonMapper;

/** The shared, immutable Jackson instances of this package. */
final class Json {

    static final JsonFactory FACTORY = JsonFactory.builder().build();
    static final JsonMapper MAPPER = JsonMapper.builder(FACTORY).build();

    private Json() {
    }

    static JsonParser parser(byte[] bytes, int offset, int length) {
        return FACTORY.createParser(ObjectReadContext.empty(), bytes, offset, length);
    }

    /** What {@code writer} writes with a generator, as bytes: for the rare parts of chunks written straight to bytes. */
    static byte[] write(Consumer<JsonGenerator> writer) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(128);
        try (JsonGenerator g = MAPPER.createGenerator(out)) {
            writer.accept(g);
        }
        return out.toByteArray();
    }

    /** Consumes the array the parser is at (just past its START_ARRAY) and returns how many items it had. */
    static int countItems(JsonParser p) {
        int count = 0;
        while (p.nextToken() != JsonToken.END_ARRAY) {
            p.skipChildren();
            count++;
        }
        return count;
    }
}
