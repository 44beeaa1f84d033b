/**
 * Google's Gemini API ({@code POST {base_url}/v1beta/models/{model}:generateContent} and
 * {@code :streamGenerateContent?alt=sse}) as a translated channel type. Gemini's rules live here:
 * roles {@code user}/{@code model}, function responses named after the function they answer, an
 * OpenAPI subset of JSON Schema, thought signatures that must come back on the next turn, and
 * function calls without ids (the gateway makes them).
 */
package dev.junction.protocol.gemini;
