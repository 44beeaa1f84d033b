package dev.junction.ingress;

import dev.junction.core.ChannelType;
import dev.junction.routing.Candidate;
import dev.junction.routing.Channel;
import dev.junction.routing.Router;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What the routing table says about public models, as admission and the model lookups ask it:
 * the only view of routing the public routes have, so it is wired to whatever holds the table.
 */
interface ServedModels {

    /** Whether some channel serves {@code model}. */
    boolean serves(String model);

    /** Every public model some channel serves, in config order. */
    Collection<String> names();

    /** The type of the channel a request for {@code model} would try first; empty when none serves it. */
    Optional<ChannelType> firstChannelType(String model);

    /** The stable id of the channel labelled {@code channel}, for usage rows; empty when none is. */
    default Optional<Long> channelId(String channel) {
        return Optional.empty();
    }

    /** The routing-config version requests route under now, for usage rows; null when unknown. */
    default Integer configVersion() {
        return null;
    }

    /** The models of the router {@code router} supplies now (a routing table swapped on reload). */
    static ServedModels of(Supplier<Router> router) {
        return of(router, () -> { });
    }

    /**
     * As above; a model no channel serves first runs {@code settle}, which waits for a config change
     * in flight (a channel just made through another instance), and is then looked up again.
     */
    static ServedModels of(Supplier<Router> router, Runnable settle) {
        Objects.requireNonNull(router, "router");
        Objects.requireNonNull(settle, "settle");
        return new ServedModels() {
            @Override
            public boolean serves(String model) {
                if (router.get().serves(model)) {
                    return true;
                }
                settle.run();
                return router.get().serves(model);
            }

            @Override
            public Collection<String> names() {
                return router.get().models();
            }

            @Override
            public Integer configVersion() {
                long version = router.get().current().configVersion();
                return version > 0 ? Math.toIntExact(version) : null;
            }

            @Override
            public Optional<Long> channelId(String channel) {
                return router.get().current().channelNamed(channel).map(Channel::id);
            }

            @Override
            public Optional<ChannelType> firstChannelType(String model) {
                List<Candidate> candidates = router.get().candidates(model);
                return candidates.isEmpty() ? Optional.empty()
                        : Optional.of(candidates.getFirst().channel().config().type());
            }
        };
    }
}
