package dev.junction.usage;

import dev.junction.core.Attempt;
import dev.junction.core.TokenUsage;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.io.JsonStringEncoder;

/**
 * The batch the writer is gathering, as it will be written: each record's raw-row values, and the
 * sums of its rollup cells and of its version, added as the record arrives. It keeps none of a
 * request's objects: numbers go into arrays and text into one buffer, both reused batch after
 * batch, and short strings that repeat (model, channel and key names, addresses) are shared from a
 * small bounded table. Kept as records for the whole linger interval, each request's record lived
 * through several young collections and was copied into the old generation, a kilobyte per request
 * (bench/RESULTS.md); staged here a few milliseconds after it arrives, it dies young.
 */
final class StagedBatch {

    static final String INSERT = """
            INSERT INTO usage (request_id, ts, key_name, public_model, channel, upstream_model, status,
                prompt_tokens, completion_tokens, cached_read_tokens, cache_write_tokens, reasoning_tokens,
                latency_ms, first_byte_ms, stream, attempts, end_reason, key_id, channel_id, cost_micros,
                client_api, token_source, client_ip, user_id, team_id, config_version, endpoint, units, unit,
                unit_detail, units_estimated)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""";

    /** Rows bound and run at once by {@link #insert}. */
    private static final int EXECUTE_EVERY = 128;
    /** A null in a number column. */
    private static final long NULL = Long.MIN_VALUE;
    // The number columns of a row, in the order rows keep them.
    private static final int TS = 0;
    private static final int STATUS = 1;
    private static final int INPUT = 2;
    private static final int OUTPUT = 3;
    private static final int CACHE_READ = 4;
    private static final int CACHE_WRITE = 5;
    private static final int REASONING = 6;
    private static final int LATENCY = 7;
    private static final int FIRST_BYTE = 8;
    private static final int STREAM = 9;
    private static final int KEY_ID = 10;
    private static final int CHANNEL_ID = 11;
    private static final int COST = 12;
    private static final int USER_ID = 13;
    private static final int TEAM_ID = 14;
    private static final int VERSION = 15;
    private static final int UNITS = 16;
    private static final int UNITS_ESTIMATED = 17;
    private static final int NUMBERS = 18;
    // The label columns of a row.
    private static final int KEY_NAME = 0;
    private static final int PUBLIC_MODEL = 1;
    private static final int CHANNEL = 2;
    private static final int UPSTREAM_MODEL = 3;
    private static final int END_REASON = 4;
    private static final int CLIENT_API = 5;
    private static final int TOKEN_SOURCE = 6;
    private static final int CLIENT_IP = 7;
    private static final int ENDPOINT = 8;
    private static final int UNIT = 9;
    private static final int UNIT_DETAIL = 10;
    private static final int LABELS = 11;
    /** Shared labels kept at most; the table starts over when it would hold more. */
    private static final int SHARED_LABELS = 4096;
    /** A text buffer grown past this by a burst of long rows is let go after its batch. */
    private static final int TEXT_KEPT = 1 << 20;

    private long[] numbers;
    private String[] labels;
    /** Per row, where its request id ends and where its attempts end in {@link #text}. */
    private int[] textEnds;
    private StringBuilder text = new StringBuilder(64 << 10);
    private final Map<String, String> shared = new HashMap<>();
    private final Map<Cells.Cell, EndpointRollups.Sums> cells = new HashMap<>();
    private final Map<VersionRollup.Key, RunningTotal> versions = new HashMap<>();
    private int size;

    StagedBatch(int rows) {
        numbers = new long[Math.max(1, rows) * NUMBERS];
        labels = new String[Math.max(1, rows) * LABELS];
        textEnds = new int[Math.max(1, rows) * 2];
    }

    int size() {
        return size;
    }

    /** The first row's request id (the batch is not empty). */
    String firstRequestId() {
        return text.substring(0, textEnds[0]);
    }

    /** The first row's time, epoch ms (the batch is not empty). */
    long firstMillis() {
        return numbers[TS];
    }

    Map<Cells.Cell, EndpointRollups.Sums> cells() {
        return cells;
    }

    Map<VersionRollup.Key, RunningTotal> versions() {
        return versions;
    }

    /** Adds {@code r}: its row, and its sums to its cell and its version. */
    void add(UsageRecord r) {
        if (size * NUMBERS == numbers.length) {
            numbers = Arrays.copyOf(numbers, numbers.length * 2);
            labels = Arrays.copyOf(labels, labels.length * 2);
            textEnds = Arrays.copyOf(textEnds, textEnds.length * 2);
        }
        TokenUsage t = r.tokens();
        int n = size * NUMBERS;
        numbers[n + TS] = r.at().toEpochMilli();
        numbers[n + STATUS] = r.status();
        numbers[n + INPUT] = t.input();
        numbers[n + OUTPUT] = t.output();
        numbers[n + CACHE_READ] = t.cacheRead();
        numbers[n + CACHE_WRITE] = t.cacheWrite();
        numbers[n + REASONING] = t.reasoning();
        numbers[n + LATENCY] = r.latencyMillis();
        numbers[n + FIRST_BYTE] = r.firstByteMillis() >= 0 ? r.firstByteMillis() : NULL;
        numbers[n + STREAM] = r.stream() ? 1 : 0;
        numbers[n + KEY_ID] = orNull(r.keyId());
        numbers[n + CHANNEL_ID] = orNull(r.channelId());
        numbers[n + COST] = orNull(r.costMicros());
        numbers[n + USER_ID] = orNull(r.userId());
        numbers[n + TEAM_ID] = orNull(r.teamId());
        numbers[n + VERSION] = r.configVersion() == null ? NULL : r.configVersion();
        numbers[n + UNITS] = r.units().count();
        numbers[n + UNITS_ESTIMATED] = r.units().estimated() ? 1 : 0;
        int l = size * LABELS;
        labels[l + KEY_NAME] = shared(r.keyName());
        labels[l + PUBLIC_MODEL] = shared(r.publicModel());
        labels[l + CHANNEL] = shared(r.channel());
        labels[l + UPSTREAM_MODEL] = shared(r.upstreamModel());
        labels[l + END_REASON] = r.endReason().recordName();
        labels[l + CLIENT_API] = shared(r.clientApi());
        labels[l + TOKEN_SOURCE] = r.tokenSource().recordName();
        labels[l + CLIENT_IP] = shared(r.clientIp());
        labels[l + ENDPOINT] = shared(r.endpoint());
        labels[l + UNIT] = shared(r.units().unit());
        labels[l + UNIT_DETAIL] = shared(r.units().detail());
        text.append(r.requestId());
        textEnds[size * 2] = text.length();
        attemptsJson(text, r.attempts());
        textEnds[size * 2 + 1] = text.length();
        size++;
        cells.computeIfAbsent(Cells.Cell.of(r), c -> new EndpointRollups.Sums()).add(r);
        versions.computeIfAbsent(VersionRollup.Key.of(r), k -> new RunningTotal()).add(r);
    }

    /**
     * Binds every row to {@code insert} ({@link #INSERT}) and runs them, {@value #EXECUTE_EVERY}
     * rows at a time: the driver keeps a batch's bound values as objects until it runs, and a whole
     * interval's (a megabyte at 15,000 requests a second) outlived young collections.
     */
    void insert(PreparedStatement insert) throws SQLException {
        int textStart = 0;
        for (int row = 0; row < size; row++) {
            int n = row * NUMBERS;
            int l = row * LABELS;
            int idEnd = textEnds[row * 2];
            int attemptsEnd = textEnds[row * 2 + 1];
            insert.setString(1, text.substring(textStart, idEnd));
            insert.setLong(2, numbers[n + TS]);
            insert.setString(3, labels[l + KEY_NAME]);
            insert.setString(4, labels[l + PUBLIC_MODEL]);
            insert.setString(5, labels[l + CHANNEL]);
            insert.setString(6, labels[l + UPSTREAM_MODEL]);
            insert.setInt(7, (int) numbers[n + STATUS]);
            insert.setLong(8, numbers[n + INPUT]);
            insert.setLong(9, numbers[n + OUTPUT]);
            insert.setLong(10, numbers[n + CACHE_READ]);
            insert.setLong(11, numbers[n + CACHE_WRITE]);
            insert.setLong(12, numbers[n + REASONING]);
            insert.setLong(13, numbers[n + LATENCY]);
            setLong(insert, 14, numbers[n + FIRST_BYTE]);
            insert.setBoolean(15, numbers[n + STREAM] != 0);
            insert.setString(16, text.substring(idEnd, attemptsEnd));
            insert.setString(17, labels[l + END_REASON]);
            setLong(insert, 18, numbers[n + KEY_ID]);
            setLong(insert, 19, numbers[n + CHANNEL_ID]);
            setLong(insert, 20, numbers[n + COST]);
            insert.setString(21, labels[l + CLIENT_API]);
            insert.setString(22, labels[l + TOKEN_SOURCE]);
            insert.setString(23, labels[l + CLIENT_IP]);
            setLong(insert, 24, numbers[n + USER_ID]);
            setLong(insert, 25, numbers[n + TEAM_ID]);
            if (numbers[n + VERSION] != NULL) {
                insert.setInt(26, (int) numbers[n + VERSION]);
            } else {
                insert.setNull(26, Types.INTEGER);
            }
            insert.setString(27, labels[l + ENDPOINT]);
            insert.setLong(28, numbers[n + UNITS]);
            insert.setString(29, labels[l + UNIT]);
            insert.setString(30, labels[l + UNIT_DETAIL]);
            insert.setBoolean(31, numbers[n + UNITS_ESTIMATED] != 0);
            insert.addBatch();
            textStart = attemptsEnd;
            if ((row + 1) % EXECUTE_EVERY == 0) {
                insert.executeBatch();
            }
        }
        insert.executeBatch();
    }

    /** Empties the batch for the next one, keeping its arrays and shared labels. */
    void clear() {
        Arrays.fill(labels, 0, size * LABELS, null);
        size = 0;
        cells.clear();
        versions.clear();
        if (text.capacity() > TEXT_KEPT) {
            text = new StringBuilder(64 << 10);
        } else {
            text.setLength(0);
        }
    }

    private String shared(String label) {
        if (label == null) {
            return null;
        }
        String kept = shared.putIfAbsent(label, label);
        if (kept != null) {
            return kept;
        }
        if (shared.size() > SHARED_LABELS) {
            shared.clear();
        }
        return label;
    }

    private static long orNull(Long value) {
        return value == null ? NULL : value;
    }

    private static void setLong(PreparedStatement insert, int index, long value) throws SQLException {
        if (value != NULL) {
            insert.setLong(index, value);
        } else {
            insert.setNull(index, Types.BIGINT);
        }
    }

    /** {@code attempts} as the JSON array the {@code attempts} column holds. */
    static String attemptsJson(List<Attempt> attempts) {
        return attemptsJson(new StringBuilder(72 * attempts.size() + 2), attempts).toString();
    }

    private static StringBuilder attemptsJson(StringBuilder json, List<Attempt> attempts) {
        // Written by hand: a tree of nodes and a generator per row cost a third of the writer's CPU.
        json.append('[');
        for (int i = 0; i < attempts.size(); i++) {
            Attempt a = attempts.get(i);
            if (i > 0) {
                json.append(',');
            }
            json.append("{\"channel\":");
            string(json, a.channel());
            json.append(",\"key\":");
            string(json, a.keySuffix());
            json.append(",\"status\":").append(a.status()).append(",\"outcome\":");
            string(json, a.outcome());
            json.append(",\"ms\":").append(a.millis()).append('}');
        }
        return json.append(']');
    }

    /** {@code value} as a JSON string (escaped by Jackson's encoder), or {@code null}. */
    private static void string(StringBuilder json, String value) {
        if (value == null) {
            json.append("null");
        } else {
            json.append('"');
            JsonStringEncoder.getInstance().quoteAsString(value, json);
            json.append('"');
        }
    }
}
