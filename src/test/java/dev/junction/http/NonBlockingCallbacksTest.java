package dev.junction.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.util.thread.Invocable;
import org.junit.jupiter.api.Test;

/** What the gateway hands Jetty to call back from a selector says it never blocks, so the selector runs it itself. */
class NonBlockingCallbacksTest {

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

    /** The same for a request body that comes in pieces: the reading thread's wake-up is non-blocking. */
    @Test
    void theRequestBodysWakeUpIsDeclaredNonBlockingAndWakes() {
        java.util.concurrent.CountDownLatch ready = new java.util.concurrent.CountDownLatch(1);
        Runnable wakeUp = JettyExchange.wakeUp(ready);
        assertThat(Invocable.getInvocationType(wakeUp)).isEqualTo(Invocable.InvocationType.NON_BLOCKING);
        wakeUp.run();
        assertThat(ready.getCount()).isZero();
    }
}
