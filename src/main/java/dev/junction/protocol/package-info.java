/**
 * What every wire-format package shares: the {@link dev.junction.protocol.ChannelCodec} a
 * translated channel type implements, the stream-decoder contract, and JSON tree helpers. Each
 * subpackage owns one format and its quirks; they meet only in {@code core.canonical}.
 */
package dev.junction.protocol;
