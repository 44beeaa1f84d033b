package dev.junction.relay;

/**
 * Whether an upstream model continues a trailing assistant message natively (Anthropic-style
 * prefill): the catalog's {@code prefill} capability, passed in by {@code app} so the relay need
 * not know the catalog.
 */
@FunctionalInterface
public interface Prefill {

    /** No model is assumed to take prefill: every continuation asks to continue in words. */
    Prefill NONE = model -> false;

    boolean supports(String upstreamModel);
}
