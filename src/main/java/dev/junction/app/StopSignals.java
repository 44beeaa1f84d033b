package dev.junction.app;

import java.util.function.Consumer;
import org.slf4j.LoggerFactory;

/**
 * Catches SIGTERM and SIGINT so a stop is an orderly one that exits with 0. The JVM's own handling
 * of these signals exits with 128 + the signal number (143, 130) whatever its shutdown hooks do, and
 * service managers and container runtimes read that as a failure. {@code sun.misc.Signal} (module
 * {@code jdk.unsupported}) is the JDK's supported way to handle a signal in Java.
 */
final class StopSignals {

    private StopSignals() {
    }

    /** Runs {@code onStop} with the signal's name each time TERM or INT arrives. */
    @SuppressWarnings("restriction")
    static void install(Consumer<String> onStop) {
        for (String name : new String[] {"TERM", "INT"}) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(name), signal -> onStop.accept("SIG" + signal.getName()));
            } catch (IllegalArgumentException e) {
                // The signal is not available here (or is in use by the JVM): the shutdown hook covers it.
                LoggerFactory.getLogger(StopSignals.class).debug("cannot handle SIG{}: {}", name, e.getMessage());
            }
        }
    }
}
