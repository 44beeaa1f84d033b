package dev.junction.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Reading a process's CPU time and memory from {@code /proc}, and running helper commands. */
final class Proc {

    /** Clock ticks per second of {@code /proc/<pid>/stat} (USER_HZ, 100 on Linux). */
    static final long TICKS_PER_SECOND = 100;

    private Proc() {
    }

    /** utime + stime in nanoseconds. */
    static long cpuNanos(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
            return ticks * (1_000_000_000L / TICKS_PER_SECOND);
        } catch (IOException e) {
            return -1;
        }
    }

    /** Resident set size in bytes, or -1 when the process is gone. */
    static long rss(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException e) {
            // gone
        }
        return -1;
    }

    /** The HTTP status of {@code GET /health}, or -1 when nothing answers. */
    static int health(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            socket.setSoTimeout(2000);
            OutputStream out = socket.getOutputStream();
            out.write("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] head = new byte[12];
            int n = in.readNBytes(head, 0, head.length);
            String line = new String(head, 0, n, StandardCharsets.US_ASCII);
            return line.startsWith("HTTP/1.1 ") ? Integer.parseInt(line.substring(9, 12)) : -1;
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }

    /** Runs a command to completion (bounded by {@code timeoutSeconds}) and returns its output. */
    static String run(long timeoutSeconds, String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
        byte[][] output = new byte[1][];
        Thread reader = Thread.ofVirtual().start(() -> {
            try {
                output[0] = process.getInputStream().readAllBytes();
            } catch (IOException e) {
                output[0] = new byte[0];
            }
        });
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException(String.join(" ", command) + " did not finish in " + timeoutSeconds + " s");
        }
        reader.join();
        return new String(output[0], StandardCharsets.UTF_8);
    }

    /** Samples a process's RSS every 50 ms; {@link #peak()} is the largest value since the last reset. */
    static final class RssSampler implements AutoCloseable {
        private final long pid;
        private final Thread thread;
        private final List<long[]> series = new ArrayList<>();
        private volatile long peak;
        private volatile boolean recording;

        RssSampler(long pid) {
            this.pid = pid;
            this.thread = Thread.ofPlatform().daemon().name("rss-sampler").start(this::loop);
        }

        private void loop() {
            long start = System.nanoTime();
            while (!Thread.currentThread().isInterrupted()) {
                long rss = rss(pid);
                if (rss < 0) {
                    return;
                }
                peak = Math.max(peak, rss);
                if (recording) {
                    synchronized (series) {
                        series.add(new long[] {(System.nanoTime() - start) / 1_000_000, rss});
                    }
                }
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        long peak() {
            return peak;
        }

        void reset() {
            peak = rss(pid);
        }

        /** Starts keeping every sample (time ms, rss bytes) until {@link #stopRecording()}. */
        void record() {
            synchronized (series) {
                series.clear();
            }
            recording = true;
        }

        List<long[]> stopRecording() {
            recording = false;
            synchronized (series) {
                return List.copyOf(series);
            }
        }

        @Override
        public void close() {
            thread.interrupt();
        }
    }
}
