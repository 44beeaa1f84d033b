package dev.junction.app;

import org.slf4j.LoggerFactory;

/**
 * SIGHUP reloads the config file, the Unix convention for daemons ({@code kill -HUP <pid>},
 * {@code systemctl reload}). Without this handler the JVM would exit on SIGHUP.
 */
final class ReloadSignal {

    private ReloadSignal() {
    }

    /** Runs {@code onReload} each time HUP arrives (on the JVM's signal thread). */
    @SuppressWarnings("restriction")
    static void install(Runnable onReload) {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("HUP"), signal -> onReload.run());
        } catch (IllegalArgumentException e) {
            // Not available here (Windows, or used by the JVM): reload with POST /api/reload instead.
            LoggerFactory.getLogger(ReloadSignal.class).debug("cannot handle SIGHUP: {}", e.getMessage());
        }
    }
}
