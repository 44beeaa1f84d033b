/**
 * The canonical chat model: the hub through which every pair of wire formats translates (client
 * format to canonical, canonical to provider format and back), so N formats need N codecs rather
 * than N×M converters. The records say what a chat turn means, not how any one API spells it;
 * the few provider facts that must survive a round trip (thinking signatures, Gemini thought
 * signatures) travel in dedicated fields.
 *
 * <p>Tool-call arguments stay JSON text, as OpenAI clients send and receive them; tool schemas
 * are JSON trees because providers need to rewrite them.
 */
package dev.junction.core.canonical;
