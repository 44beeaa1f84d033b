package dev.junction.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import dev.junction.core.ErrorKind;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The access log's own thread: lines gathered into few logging events, none lost on close, drops counted. */
class AccessLogBatchesTest {

    /** Keeps every event's message; blocks in its first append while {@code gate} is closed. */
    private static final class Recorder extends AppenderBase<ILoggingEvent> {
        final List<String> messages = new ArrayList<>();
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch gate;

        Recorder(boolean open) {
            gate = new CountDownLatch(open ? 0 : 1);
        }

        @Override
        protected void append(ILoggingEvent event) {
            entered.countDown();
            try {
                gate.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            synchronized (messages) {
                messages.add(event.getFormattedMessage());
            }
        }

        List<String> lines() {
            synchronized (messages) {
                return messages.stream().flatMap(String::lines).toList();
            }
        }
    }

    private static Logger logger(Recorder recorder) {
        Logger logger = new LoggerContext().getLogger("access-test");
        logger.setLevel(Level.INFO);
        recorder.setContext(logger.getLoggerContext());
        recorder.start();
        logger.addAppender(recorder);
        return logger;
    }

    @Test
    void manyRequestsBecomeFewEventsOfOneLineEachAndCloseWritesWhatIsQueued() {
        Recorder recorder = new Recorder(true);
        AccessLog log = AccessLog.start(logger(recorder));
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            var end = Ends.refused("/v1/chat/completions", "m" + i, ErrorKind.AUTHENTICATION);
            expected.add(AccessLog.line(end));
            log.onEnd(end);
        }
        log.close();
        assertThat(recorder.lines()).containsExactlyElementsOf(expected);
        assertThat(recorder.messages).as("logging events").hasSizeLessThan(20);
        assertThat(recorder.messages).as("no event much longer than a chunk: a long text outlives young collections")
                .allSatisfy(m -> assertThat(m.length()).isLessThan(AccessLog.CHUNK + 2_000));
        assertThat(log.dropped()).isZero();
    }

    @Test
    void aFullQueueDropsAndCountsLinesInsteadOfWaiting() throws Exception {
        Recorder recorder = new Recorder(false);
        AccessLog log = AccessLog.start(logger(recorder));
        log.onEnd(Ends.refused("/v1/chat/completions", "first", ErrorKind.AUTHENTICATION));
        assertThat(recorder.entered.await(10, TimeUnit.SECONDS)).as("the thread is writing, stuck").isTrue();
        for (int i = 0; i < AccessLog.QUEUE + 25; i++) {
            log.onEnd(Ends.refused("/v1/chat/completions", "m" + i, ErrorKind.AUTHENTICATION));
        }
        assertThat(log.dropped()).isEqualTo(25);
        recorder.gate.countDown();
        log.close();
        assertThat(recorder.lines()).hasSize(1 + AccessLog.QUEUE);
    }
}
