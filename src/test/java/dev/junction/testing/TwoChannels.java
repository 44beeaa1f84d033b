package dev.junction.testing;

import dev.junction.core.Clock;
import java.nio.file.Path;

/**
 * One gateway over two fake providers, each a channel: the set-up of the failover, continuation
 * and cross-API tests. {@link #primaryAndBackup} is the failover shape (a primary tried first with a
 * short idle timeout, a backup after it, both serving the public model {@code chat}).
 *
 * @param first the first channel's fake
 * @param second the second channel's fake
 * @param gateway the gateway over both
 */
public record TwoChannels(FakeProvider first, FakeProvider second, TestGateway gateway) implements AutoCloseable {

    /** One channel: its name, fake, {@code models:} value and extra YAML lines (may be empty). */
    public record Channel(String name, FakeProvider fake, String models, String extra) {
    }

    /**
     * Starts the gateway with {@code head} (top-level YAML before {@code channels:}, may be empty)
     * and the two channels. The fakes are closed with it, also when it fails to start.
     */
    public static TwoChannels start(Path dir, String head, Clock clock, Channel first, Channel second)
            throws Exception {
        try {
            TestGateway gateway = TestGateway.start(dir, head + (head.isEmpty() || head.endsWith("\n") ? "" : "\n")
                    + "channels:\n" + TestGateway.channel(first.name(), first.fake(), first.models(), first.extra())
                    + TestGateway.channel(second.name(), second.fake(), second.models(), second.extra()), clock);
            return new TwoChannels(first.fake(), second.fake(), gateway);
        } catch (Exception | Error e) {
            second.fake().close();
            first.fake().close();
            throw e;
        }
    }

    /** As {@link #start(Path, String, Clock, Channel, Channel)} on the system clock. */
    public static TwoChannels start(Path dir, String head, Channel first, Channel second) throws Exception {
        return start(dir, head, Clock.system(), first, second);
    }

    /**
     * The failover shape: channel {@code primary} (priority 10, {@code timeout: { idle: 1s }}) serving
     * {@code chat} as {@code primaryModel}, then {@code backup} serving it as {@code backupModel};
     * the breaker never opens (100 consecutive failures), and {@code failoverExtra} is added to the
     * {@code failover:} section (", first_token: 2s" or "").
     */
    public static TwoChannels primaryAndBackup(Path dir, Clock clock, String failoverExtra, FakeProvider primary,
            String primaryModel, FakeProvider backup, String backupModel) throws Exception {
        return start(dir, "failover: { breaker: { consecutive_failures: 100 }" + failoverExtra + " }", clock,
                new Channel("primary", primary, "{chat: " + primaryModel + "}", "priority: 10\ntimeout: { idle: 1s }"),
                new Channel("backup", backup, "{chat: " + backupModel + "}", ""));
    }

    /**
     * A Gemini channel {@code gemini} serving {@code geminiModels} and an Anthropic channel
     * {@code claude} serving {@code claude} as claude-sonnet-4-5: the Gemini API's tests, a native
     * route and a translated one side by side.
     */
    public static TwoChannels geminiAndClaude(Path dir, String geminiModels) throws Exception {
        return start(dir, "", new Channel("gemini", FakeGemini.start("sk-fake-gemini"), geminiModels, ""),
                new Channel("claude", FakeAnthropic.start("sk-fake-claude"), "{claude: claude-sonnet-4-5}", ""));
    }

    @Override
    public void close() throws Exception {
        try {
            gateway.close();
        } finally {
            try {
                second.close();
            } finally {
                first.close();
            }
        }
    }
}
