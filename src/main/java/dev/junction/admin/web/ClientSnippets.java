package dev.junction.admin.web;

import static dev.junction.admin.web.Html.f;

import dev.junction.admin.web.Html.Raw;

/**
 * Ready-to-paste settings for a new gateway key: curl, the OpenAI SDK, Claude Code, Codex and
 * Gemini CLI, each as the README's Clients section describes it.
 */
final class ClientSnippets {

    private ClientSnippets() {
    }

    static Raw all(String base, String key, String model) {
        String curl = """
                curl %s/v1/chat/completions \\
                  -H 'Authorization: Bearer %s' \\
                  -H 'Content-Type: application/json' \\
                  -d '{"model":"%s","messages":[{"role":"user","content":"Hello"}]}'""".formatted(base, key, model);
        String openai = """
                from openai import OpenAI

                client = OpenAI(base_url="%s/v1", api_key="%s")
                reply = client.chat.completions.create(
                    model="%s", messages=[{"role": "user", "content": "Hello"}])
                print(reply.choices[0].message.content)""".formatted(base, key, model);
        String claude = """
                export ANTHROPIC_BASE_URL=%s
                export ANTHROPIC_AUTH_TOKEN=%s
                export ANTHROPIC_MODEL=%s
                claude""".formatted(base, key, model);
        String codex = """
                # ~/.codex/config.toml
                model = "%s"
                model_provider = "junction"
                [model_providers.junction]
                name = "Junction"
                base_url = "%s/v1"
                env_key = "JUNCTION_API_KEY"
                wire_api = "responses"

                # then
                JUNCTION_API_KEY=%s codex""".formatted(model, base, key);
        String gemini = """
                GEMINI_API_KEY=%s GOOGLE_GEMINI_BASE_URL=%s gemini -m %s""".formatted(key, base, model);
        return f("""
                <div class="snippets">
                  <details open><summary>curl</summary>%s</details>
                  <details><summary>OpenAI SDK (Python)</summary>%s</details>
                  <details><summary>Claude Code</summary>%s</details>
                  <details><summary>Codex</summary>%s</details>
                  <details><summary>Gemini CLI</summary>%s</details>
                </div>
                """, Secrets.copyable("snippet-curl", curl), Secrets.copyable("snippet-openai", openai),
                Secrets.copyable("snippet-claude", claude), Secrets.copyable("snippet-codex", codex),
                Secrets.copyable("snippet-gemini", gemini));
    }
}
