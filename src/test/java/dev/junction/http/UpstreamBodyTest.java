package dev.junction.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.util.thread.Invocable;
import org.junit.jupiter.api.Test;

class UpstreamBodyTest {

    /**
     * Jetty's selector runs a readable connection's work on its own thread only when what waits for
     * the data is non-blocking; for a plain {@code Runnable} it hands its selecting to another thread
     * first, two thread wake-ups per streamed event (bench/RESULTS.md: about 2 µs of CPU per event).
     */
    @Test
    void theBodyAsksForMoreDataWithACallbackDeclaredNonBlocking() {
        List<Runnable> demands = new ArrayList<>();
        Content.Source empty = new Content.Source() {
            @Override
            public Content.Chunk read() {
                return null;
            }

            @Override
            public void demand(Runnable demandCallback) {
                demands.add(demandCallback);
            }

            @Override
            public void fail(Throwable failure) {
            }
        };

        new UpstreamBody(() -> { }).onContentSource(null, empty);

        assertThat(demands).hasSize(1);
        assertThat(Invocable.getInvocationType(demands.getFirst())).isEqualTo(Invocable.InvocationType.NON_BLOCKING);
    }
}
