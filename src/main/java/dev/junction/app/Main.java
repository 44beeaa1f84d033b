package dev.junction.app;

import dev.junction.config.ConfigException;
import dev.junction.config.ConfigLoader;
import dev.junction.config.GatewayConfig;
import dev.junction.config.Listen;
import dev.junction.core.Clock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code junction serve [--config FILE] [--listen HOST:PORT]}. Exit codes: 0 after a clean stop,
 * 2 for a usage or config mistake (one line per problem on stderr), 1 when start-up failed.
 */
public final class Main {

    private static final String USAGE = """
            usage: junction serve [--config FILE] [--listen HOST:PORT]
                   junction --version
              --config FILE       the YAML config (default: junction.yaml if present, else built-in defaults)
              --listen HOST:PORT  overrides 'listen' from the config (default 0.0.0.0:3000)""";

    private Main() {
    }

    public static void main(String[] args) {
        int code = run(args);
        // After a stop, exit explicitly: a library thread that is not a daemon must not keep the JVM up.
        if (code != 0 || args.length > 0 && args[0].equals("serve")) {
            System.exit(code);
        }
    }

    static int run(String[] args) {
        List<String> rest = new ArrayList<>(List.of(args));
        if (rest.contains("--version")) {
            System.out.println("junction " + Version.current());
            return 0;
        }
        if (rest.isEmpty() || rest.contains("--help") || rest.contains("-h")) {
            System.out.println(USAGE);
            return rest.isEmpty() ? 2 : 0;
        }
        if (rest.getFirst().equals("aot-training")) {
            // Used by the launcher to build the JDK's start-up cache; see AotTraining.
            try {
                return AotTraining.run();
            } catch (Exception e) {
                System.err.println("junction: the AOT training run failed: " + e);
                return 1;
            }
        }
        if (!rest.removeFirst().equals("serve")) {
            System.err.println(USAGE);
            return 2;
        }
        Optional<Path> configFile = Optional.empty();
        Optional<Listen> listen = Optional.empty();
        for (int i = 0; i < rest.size(); i++) {
            String arg = rest.get(i);
            String value = arg.contains("=") ? arg.substring(arg.indexOf('=') + 1)
                    : i + 1 < rest.size() ? rest.get(++i) : null;
            String flag = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
            if (value == null) {
                System.err.println("junction: " + flag + " needs a value\n" + USAGE);
                return 2;
            }
            switch (flag) {
                case "--config" -> configFile = Optional.of(Path.of(value));
                case "--listen" -> {
                    listen = Listen.parse(value);
                    if (listen.isEmpty()) {
                        System.err.println("junction: --listen: '" + value + "' is not an address; write host:port");
                        return 2;
                    }
                }
                default -> {
                    System.err.println("junction: unknown option " + flag + "\n" + USAGE);
                    return 2;
                }
            }
        }
        if (configFile.isEmpty() && Files.exists(Path.of("junction.yaml"))) {
            configFile = Optional.of(Path.of("junction.yaml"));
        }
        GatewayConfig config;
        try {
            config = configFile.isPresent()
                    ? ConfigLoader.withSystemEnvironment().withPresets(CatalogPresets.builtIn())
                            .load(configFile.get())
                    : GatewayConfig.defaults();
        } catch (ConfigException e) {
            e.problems().forEach(System.err::println);
            System.err.println("junction: the config has " + e.problems().size()
                    + (e.problems().size() == 1 ? " problem" : " problems") + "; not starting.");
            return 2;
        }
        if (listen.isPresent()) {
            config = config.withListen(listen.get());
        }
        return serve(config, configFile);
    }

    private static int serve(GatewayConfig config, Optional<Path> configFile) {
        Logger log = LoggerFactory.getLogger(Main.class);
        long started = System.nanoTime();
        Gateway gateway;
        try {
            gateway = Gateway.start(config, configFile, System::getenv, Clock.system(), new Random());
        } catch (Exception e) {
            log.error("junction could not start: {}", rootMessage(e));
            log.debug("start-up failure", e);
            return 1;
        }
        // SIGTERM and SIGINT stop the gateway in order and exit with 0. Left to the JVM, they would run
        // shutdown hooks and exit with 143/130 however cleanly the hooks stopped. The hook stays for
        // any other way the JVM is told to exit. SIGHUP reloads the config file.
        CountDownLatch stopRequested = new CountDownLatch(1);
        StopSignals.install(signal -> {
            log.info("{} received: stopping (requests in progress get the grace period)", signal);
            stopRequested.countDown();
        });
        Gateway running = gateway;
        ReloadSignal.install(() -> {
            log.info("SIGHUP received: reloading {}", configFile.map(Path::toString).orElse("(no config file)"));
            reloadSafely(running, "SIGHUP", log);
        });
        Runtime.getRuntime().addShutdownHook(new Thread(gateway::close, "junction-shutdown"));
        // Said once the signals are handled: whoever waits for this line (a script, a test, an
        // operator's `systemctl reload`) can send SIGHUP at once without the JVM's default, an exit.
        long models = gateway.router().models().size();
        log.info("Junction {} listening on http://{}:{} ({}; {} channels, {} models, {} keys) in {} ms",
                Version.current(), config.listen().host(), gateway.port(),
                configFile.map(Path::toString).orElse("built-in defaults"), config.channels().size(), models,
                config.keys().size(), (System.nanoTime() - started) / 1_000_000);
        try {
            stopRequested.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        gateway.close();
        log.info("stopped");
        flushLogs();
        return 0;
    }

    /** What SIGHUP runs: a reload whose failure is logged, never thrown into the signal thread. */
    static void reloadSafely(Gateway gateway, String actor, Logger log) {
        try {
            gateway.reload(actor); // logs a refused file's problems itself
        } catch (RuntimeException e) {
            log.error("reload failed: {}", e.toString());
        }
    }

    /** Writes what the asynchronous appenders (the access log) still hold, before the JVM exits. */
    private static void flushLogs() {
        if (LoggerFactory.getILoggerFactory() instanceof ch.qos.logback.classic.LoggerContext context) {
            context.stop();
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == e ? String.valueOf(e.getMessage()) : e.getMessage() + " (" + root.getMessage() + ")";
    }
}
