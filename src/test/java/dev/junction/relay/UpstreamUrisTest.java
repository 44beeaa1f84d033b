package dev.junction.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import org.junit.jupiter.api.Test;

class UpstreamUrisTest {

    private final UpstreamUris uris = new UpstreamUris();

    @Test
    void anAddressIsTheBaseFollowedByThePathAndIsParsedOnce() {
        URI base = URI.create("http://127.0.0.1:8080/v1");
        URI first = uris.of(base, "/chat/completions");
        assertThat(first).isEqualTo(URI.create("http://127.0.0.1:8080/v1/chat/completions"));
        assertThat(uris.of(base, "/chat/completions")).isSameAs(first);
        assertThat(uris.of(base, "/embeddings")).isEqualTo(URI.create("http://127.0.0.1:8080/v1/embeddings"));
    }

    @Test
    void theCacheStaysBoundedWhateverTheNumberOfPaths() {
        URI base = URI.create("https://generativelanguage.googleapis.com/v1beta");
        for (int i = 0; i < UpstreamUris.MAX * 3; i++) {
            assertThat(uris.of(base, "/models/m" + i + ":generateContent").getPath())
                    .isEqualTo("/v1beta/models/m" + i + ":generateContent");
            assertThat(uris.size()).isLessThanOrEqualTo(UpstreamUris.MAX);
        }
    }

    @Test
    void anAddressThatIsNotAUriFailsAsBeforeAndIsNotKept() {
        assertThatThrownBy(() -> uris.of(URI.create("http://host/v1"), "/models/a b"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(uris.size()).isZero();
    }
}
