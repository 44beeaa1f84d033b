package dev.junction.scratch;

import dev.junction.testing.FakeAnthropic;
import dev.junction.testing.FakeProvider;
import dev.junction.testing.TestGateway;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScratchTest {
    @TempDir
    Path dir;

    @Test
    void claudeOnAnthropic() throws Exception {
        try (FakeProvider primary = FakeAnthropic.start("sk-fake-primary"); FakeProvider backup = FakeAnthropic.start("sk-fake-backup")) {
            String fin = "All done: the command printed hi, as expected.";
            primary.always(new FakeProvider.CutAfter(Integer.getInteger("cut", 12), new FakeProvider.Thinking("The user wants it.", new FakeProvider.Text(fin, 8, 11, 7))));
            backup.always(new FakeProvider.Scripted(r -> {
                System.out.println("BACKUP GOT " + r.body());
                return new FakeProvider.Thinking("hmm", new FakeProvider.Text(" as expected.", 4, 13, 5));
            }));
            String models = "{claude-sonnet-4-5: claude-sonnet-4-5}";
            try (TestGateway gateway = TestGateway.start(dir, "failover: { breaker: { consecutive_failures: 1000 } }\n"
                    + "channels:\n" + TestGateway.channel("primary", primary, models, "priority: 10")
                    + TestGateway.channel("backup", backup, models, ""))) {
                String body = """
                        {"model":"claude-sonnet-4-5","max_tokens":32000,"stream":true,"thinking":{"type":"enabled","budget_tokens":2000},
                         "messages":[{"role":"user","content":"Run echo hi"}]}
                        """;
                var response = gateway.postWithHeaders("/v1/messages", body,
                        java.util.Map.of("x-api-key", TestGateway.KEY, "anthropic-version", "2023-06-01"));
                System.out.println("STATUS " + response.statusCode());
                System.out.println("BODY<<" + response.body() + ">>");
            }
        }
    }

    @Test
    void geminiOnAnthropic() throws Exception {
        try (FakeProvider primary = FakeAnthropic.start("sk-fake-primary"); FakeProvider backup = FakeAnthropic.start("sk-fake-backup")) {
            FakeProvider.Reply whole = new FakeProvider.ToolCalls("I will run the command now. ",
                    List.of(new FakeProvider.Call("call_hi_1", "run_shell_command", "{\"command\":\"echo hi\"}")));
            primary.always(new FakeProvider.CutAfter(Integer.getInteger("cut", 8), whole));
            backup.always(new FakeProvider.Scripted(r -> {
                System.out.println("BACKUP GOT " + r.body());
                return new FakeProvider.ToolCalls("", List.of(new FakeProvider.Call("call_hi_1", "run_shell_command", "{\"command\":\"echo hi\"}")));
            }));
            String models = "{gemini-2.5-flash: claude-sonnet-4-5}";
            try (TestGateway gateway = TestGateway.start(dir, "failover: { breaker: { consecutive_failures: 1000 } }\n"
                    + "channels:\n" + TestGateway.channel("primary", primary, models, "priority: 10")
                    + TestGateway.channel("backup", backup, models, ""))) {
                String body = """
                        {"contents":[{"role":"user","parts":[{"text":"Run echo hi"}]}],
                         "tools":[{"functionDeclarations":[{"name":"run_shell_command","description":"run","parameters":{"type":"object","properties":{"command":{"type":"string"}}}}]}],
                         "generationConfig":{"thinkingConfig":{"includeThoughts":true,"thinkingBudget":8192}}}
                        """;
                var response = gateway.postWithHeaders("/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse", body,
                        java.util.Map.of("x-goog-api-key", TestGateway.KEY));
                System.out.println("STATUS " + response.statusCode());
                System.out.println("BODY<<" + response.body() + ">>");
                for (var r : primary.received()) System.out.println("PRIMARY GOT " + r.body());
            }
        }
    }
}
