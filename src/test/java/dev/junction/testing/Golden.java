package dev.junction.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Golden files under {@code src/test/resources/fixtures}: what a translation must produce. After a
 * deliberate change, {@code -Dgolden.update=true} rewrites them from the actual output for review.
 */
public final class Golden {

    public static final Path FIXTURES = Path.of("src/test/resources/fixtures");
    private static final boolean UPDATE = Boolean.getBoolean("golden.update");
    private static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    private Golden() {
    }

    /** The files in {@code dir} ending in {@code suffix}, sorted. */
    public static List<Path> files(Path dir, String suffix) throws IOException {
        try (Stream<Path> list = Files.list(dir)) {
            return list.filter(p -> p.toString().endsWith(suffix)).sorted().toList();
        }
    }

    /** A JSON document, compared as JSON (key order and spacing aside); written indented on update. */
    public static void compareJson(Path expected, byte[] actual) throws IOException {
        JsonNode tree = JSON.readTree(actual);
        if (UPDATE) {
            Files.writeString(expected, JSON.writeValueAsString(tree) + "\n");
        }
        assertThat(tree).as(expected.toString()).isEqualTo(JSON.readTree(Files.readString(expected)));
    }

    /**
     * An event stream, compared event by event and line by line: a {@code data:} line holding a JSON
     * object as JSON, every other line ({@code event:}, {@code data: [DONE]}) as text.
     */
    public static void compareStream(Path expected, String actual) throws IOException {
        if (UPDATE) {
            Files.writeString(expected, actual);
        }
        List<String> want = events(Files.readString(expected));
        List<String> got = events(actual);
        assertThat(got).as(expected + " event count").hasSameSizeAs(want);
        for (int i = 0; i < want.size(); i++) {
            List<String> wantLines = want.get(i).lines().toList();
            List<String> gotLines = got.get(i).lines().toList();
            assertThat(gotLines).as(expected + " event " + i + " lines").hasSameSizeAs(wantLines);
            for (int j = 0; j < wantLines.size(); j++) {
                String w = wantLines.get(j);
                String g = gotLines.get(j);
                if (w.startsWith("data: {") && g.startsWith("data: ")) {
                    assertThat(JSON.readTree(g.substring(6))).as(expected + " event " + i)
                            .isEqualTo(JSON.readTree(w.substring(6)));
                } else {
                    assertThat(g).as(expected + " event " + i + " line " + j).isEqualTo(w);
                }
            }
        }
    }

    private static List<String> events(String sse) {
        return Stream.of(sse.split("\n\n")).map(String::strip).filter(e -> !e.isEmpty()).toList();
    }
}
