package dev.junction.app;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SIGHUP reloads the config file, the Unix convention for daemons ({@code kill -HUP <pid>},
 * {@code systemctl reload}). Without this handler the JVM would exit on SIGHUP.
 *
 * <p>A process that starts with SIGHUP ignored ({@code nohup}, or a parent that ignores it) keeps
 * it ignored: the JVM accepts the handler but never runs it. That is said at start-up, with the
 * other ways to reload, rather than found out when a reload does nothing.
 */
final class ReloadSignal {

    private static final Logger LOG = LoggerFactory.getLogger(ReloadSignal.class);

    private ReloadSignal() {
    }

    /** Runs {@code onReload} each time HUP arrives (on the JVM's signal thread). */
    @SuppressWarnings("restriction")
    static void install(Runnable onReload) {
        sun.misc.SignalHandler before;
        try {
            before = sun.misc.Signal.handle(new sun.misc.Signal("HUP"), signal -> onReload.run());
        } catch (IllegalArgumentException e) {
            // Not available here (Windows, or used by the JVM): reload with POST /api/reload instead.
            LOG.debug("cannot handle SIGHUP: {}", e.getMessage());
            return;
        }
        if (before == sun.misc.SignalHandler.SIG_IGN) {
            LOG.warn("SIGHUP is ignored by this process (started under nohup, or by a parent that ignores it), so "
                    + "kill -HUP cannot reload the config file: reload with POST /api/reload or the dashboard, or "
                    + "start the gateway without nohup (a service manager, or setsid)");
        }
    }
}
