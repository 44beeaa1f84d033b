package dev.junction.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.junction.config.ConfigException;
import dev.junction.config.ConfigLoader;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** The config file: YAML syntax, {@code ${VAR}} expansion and every section's binder. */
class ConfigFuzzTest {

    private static final Map<String, String> ENVIRONMENT = Map.of("OPENAI_API_KEY", "sk-env", "PORT", "8080",
            "EMPTY", "");

    @FuzzTest
    void anyFileLoadsOrIsRefusedWithConfigException(byte[] file) throws Exception {
        check(file);
    }

    static void check(byte[] file) throws Exception {
        String text = new String(file, StandardCharsets.UTF_8);
        try {
            ConfigLoader.withEnvironment(ENVIRONMENT::get).parse("junction.yaml", text);
        } catch (ConfigException e) {
            // a config problem, reported with its line: the expected refusal
        }
    }
}
