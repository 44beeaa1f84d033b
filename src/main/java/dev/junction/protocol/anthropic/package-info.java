/**
 * Anthropic's Messages API ({@code POST {base_url}/v1/messages}) as a translated channel type:
 * canonical requests become Messages requests, Messages answers and event streams become
 * canonical responses and events. Anthropic's rules live here and nowhere else: strict
 * user/assistant alternation, tool results first in the user turn after the tool use, a
 * mandatory {@code max_tokens}, thinking that must be replayed with its signature, tool-use ids
 * restricted to {@code [a-zA-Z0-9_-]}.
 */
package dev.junction.protocol.anthropic;
