package dev.junction.fuzz;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Inputs of issue 21's defect 1 (bad client input counted as a channel failure) that random
 * fuzzing did not reach: each runs the same check as its fuzz target, so a regression fails with
 * the exception the fuzzer would report.
 */
class KnownCrashesTest {

    private static final String MESSAGES = "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]";

    @Test
    void anthropicMaxTokensBeyondInt() throws Exception {
        AnthropicMessagesFuzzTest.check(utf8("{\"model\":\"m\",\"max_tokens\":2147483648," + MESSAGES + "}"));
    }

    @Test
    void anthropicUtf16Body() throws Exception {
        AnthropicMessagesFuzzTest.check(("{\"model\":\"m\",\"max_tokens\":10," + MESSAGES + "}")
                .getBytes(StandardCharsets.UTF_16LE));
    }

    @Test
    void chatUtf16Body() throws Exception {
        ChatCompletionsFuzzTest.check(("{\"model\":\"m\"," + MESSAGES + "}").getBytes(StandardCharsets.UTF_16LE));
    }

    @Test
    void chatSeedBeyondLong() throws Exception {
        ChatCompletionsFuzzTest.check(utf8("{\"model\":\"m\"," + MESSAGES + ",\"seed\":99999999999999999999999}"));
    }

    @Test
    void chatToolsAsObject() throws Exception {
        ChatCompletionsFuzzTest.check(utf8("{\"model\":\"m\"," + MESSAGES + ",\"tools\":{\"type\":\"function\"}}"));
    }

    @Test
    void chatLoneSurrogateInSchema() throws Exception {
        ChatCompletionsFuzzTest.check(utf8("{\"model\":\"m\"," + MESSAGES + ",\"tools\":[{\"type\":\"function\","
                + "\"function\":{\"name\":\"f\",\"parameters\":{\"type\":\"object\",\"description\":\"\\ud800\"}}}]}"));
    }

    @Test
    void chatInvalidUtf8InToolName() throws Exception {
        byte[] head = utf8("{\"model\":\"m\"," + MESSAGES + ",\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"");
        byte[] tail = utf8("\"}}]}");
        byte[] body = new byte[head.length + 3 + tail.length];
        System.arraycopy(head, 0, body, 0, head.length);
        body[head.length] = (byte) 0xED;
        body[head.length + 1] = (byte) 0xA0;
        body[head.length + 2] = (byte) 0x80;
        System.arraycopy(tail, 0, body, head.length + 3, tail.length);
        ChatCompletionsFuzzTest.check(body);
    }

    @Test
    void geminiNestedStopSequences() throws Exception {
        GeminiFuzzTest.check(utf8("{\"contents\":[{\"parts\":[{\"text\":\"hi\"}]}],"
                + "\"generationConfig\":{\"stopSequences\":[[]]}}"));
    }

    @Test
    void geminiTopKBeyondInt() throws Exception {
        GeminiFuzzTest.check(utf8("{\"contents\":[{\"parts\":[{\"text\":\"hi\"}]}],"
                + "\"generationConfig\":{\"topK\":2147483648,\"maxOutputTokens\":2147483648,\"seed\":2147483648}}"));
    }

    @Test
    void responsesMaxOutputTokensBeyondInt() throws Exception {
        ResponsesFuzzTest.check(utf8("{\"model\":\"m\",\"input\":\"hi\",\"max_output_tokens\":2147483648}"));
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** Found by the fuzz run in CI: a Responses completion event whose {@code response} is not an object. */
    @Test
    void responsesCompletionWithoutItsResponseObject() throws Exception {
        ProviderAnswersFuzzTest.check(utf8("data: {\"type\":\"response.completed\",\"response\":1}\n\n"
                + "data: {\"type\":\"response.incomplete\"}\n\n"));
    }

    /** Found by a fuzz run: a token count beyond {@code long} in a provider's usage. */
    @Test
    void usageCountBeyondLong() throws Exception {
        ProviderAnswersFuzzTest.check(utf8("{\"choices\":[],\"usage\":{\"prompt_tokens\":"
                + "66666666666666666666666666666666666666666666630,\"completion_tokens\":1}}"));
    }
}
