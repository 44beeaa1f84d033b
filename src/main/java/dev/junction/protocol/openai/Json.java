package dev.junction.protocol.openai;

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
