/**
 * OpenAI's chat-completions API, both as the API clients speak and as a channel type. Towards
 * clients: the pass-through scan of request bodies and chunks, the decoder of requests into the
 * canonical model, the encoders of canonical answers and stream events, OpenAI's error shapes.
 * Towards providers reached by translation ({@link dev.junction.protocol.openai.OpenAiCodec}):
 * canonical requests written for the whole OpenAI-compatible family, whose deviations live here
 * and nowhere else: reasoning as {@code reasoning_content} or {@code reasoning}, finish reasons
 * beyond OpenAI's four, usage under DeepSeek's and Moonshot's names, tool calls streamed with late
 * or missing ids and without indices, streams that end without {@code [DONE]}, tool-call ids OpenAI
 * finds too long, and the reasoning models that take only {@code max_completion_tokens}.
 */
package dev.junction.protocol.openai;
