package dev.junction.routing;

import dev.junction.config.ChannelConfig;

/**
 * Where routing learns what a channel's upstream model can serve and costs: the catalog merged
 * with the channel's {@code capabilities:} and {@code prices:}, supplied by the wiring (routing
 * does not read the catalog itself). Asked once per channel and model when a snapshot is built.
 */
@FunctionalInterface
public interface ModelFacts {

    /** Every model assumed capable and unpriced. */
    ModelFacts ASSUMED = (channel, upstreamModel) -> ModelTraits.ASSUMED;

    ModelTraits traits(ChannelConfig channel, String upstreamModel);
}
