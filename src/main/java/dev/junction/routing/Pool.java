package dev.junction.routing;

import dev.junction.config.RoutingConfig.ModelRouting;
import java.util.List;

/**
 * The channels of one public model in one snapshot, as parallel arrays built once when the
 * snapshot is: each candidate's capability mask, token limits, prices, priority, weight, load
 * and quota. A request filters and orders them with array reads only (no maps, streams or
 * allocations per candidate).
 */
final class Pool {

    final String model;
    final ModelRouting routing;
    final int size;
    final Candidate[] candidates;
    final Channel[] channels;
    final ModelTraits[] traits;
    final int[] caps;
    final long[] context;
    final long[] maxOutput;
    final long[] inputPrice;
    final long[] outputPrice;
    final int[] priority;
    final int[] weight;
    final long[] concurrent;
    final ChannelLoad[] loads;
    /** Null where the channel has no {@code limits:}. */
    final ChannelQuota[] quotas;
    /** Whether every candidate serves everything with no known limit: the capability filter can be skipped. */
    final boolean unrestricted;
    /**
     * Whether routing this model reads the request's needs at all: some candidate is restricted, a
     * limit counts tokens or cost, the strategy prices the request, or affinity or fallbacks are on.
     * When not, the relay skips the scan of the body.
     */
    final boolean wantsNeeds;

    Pool(String model, ModelRouting routing, List<Candidate> list, List<ModelTraits> traitList,
            List<ChannelLoad> loadList, List<ChannelQuota> quotaList) {
        this.model = model;
        this.routing = routing;
        this.size = list.size();
        this.candidates = list.toArray(Candidate[]::new);
        this.channels = new Channel[size];
        this.traits = traitList.toArray(ModelTraits[]::new);
        this.caps = new int[size];
        this.context = new long[size];
        this.maxOutput = new long[size];
        this.inputPrice = new long[size];
        this.outputPrice = new long[size];
        this.priority = new int[size];
        this.weight = new int[size];
        this.concurrent = new long[size];
        this.loads = loadList.toArray(ChannelLoad[]::new);
        this.quotas = quotaList.toArray(ChannelQuota[]::new);
        boolean open = true;
        for (int i = 0; i < size; i++) {
            Candidate candidate = candidates[i];
            ModelTraits t = traits[i];
            channels[i] = candidate.channel();
            caps[i] = t.mask();
            context[i] = t.contextWindow();
            maxOutput[i] = t.maxOutput();
            inputPrice[i] = t.inputPrice();
            outputPrice[i] = t.outputPrice();
            priority[i] = candidate.channel().config().priority();
            weight[i] = candidate.channel().config().weight();
            concurrent[i] = candidate.channel().config().limits().concurrent();
            open &= (t.mask() & ModelTraits.FILTERED) == ModelTraits.FILTERED && t.contextWindow() == Long.MAX_VALUE
                    && t.maxOutput() == Long.MAX_VALUE;
        }
        this.unrestricted = open;
        boolean quotas = false;
        for (ChannelQuota quota : this.quotas) {
            quotas |= quota != null && quota.limits().countsTokens();
        }
        this.wantsNeeds = !open || quotas || routing.affinity() || !routing.fallbacks().isEmpty()
                || routing.strategy() == dev.junction.config.RoutingConfig.Strategy.CHEAPEST;
    }


    /** The index of {@code channel} in this pool; -1 when it is not in it. */
    int indexOf(Channel channel) {
        for (int i = 0; i < size; i++) {
            if (channels[i] == channel) {
                return i;
            }
        }
        return -1;
    }

    /** The index of the channel with stable id {@code id}; -1 when none. */
    int indexOf(long id) {
        for (int i = 0; i < size; i++) {
            if (channels[i].id() == id) {
                return i;
            }
        }
        return -1;
    }
}
