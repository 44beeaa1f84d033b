package dev.junction.routing;

/**
 * One place a request may go: a channel and the model name that channel knows the public model by.
 */
public record Candidate(Channel channel, String upstreamModel) {
}
