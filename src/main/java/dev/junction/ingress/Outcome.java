package dev.junction.ingress;

import dev.junction.core.GatewayException;
import dev.junction.core.Units;
import dev.junction.relay.RelayResult;
import java.util.Objects;

/**
 * How a request ended, as an {@link AdmissionCheck}'s {@link AdmissionCheck.Hold} learns it when it
 * settles: what it reserved is then either charged (the real tokens and cost of a relayed answer)
 * or given back (a refusal, a crash, a client that left before anything was spent).
 */
sealed interface Outcome {

    /** The HTTP status the client got, or would have got (499 when it left). */
    int status();

    /**
     * The relay ran: the answer, the upstream's own verdict, every channel failing, or the client
     * leaving mid-way (then {@code result.end()} says so), with what it is billed by. The only outcome
     * that can have spent tokens.
     */
    record Relayed(RelayResult result, Units units) implements Outcome {
        public Relayed {
            Objects.requireNonNull(result, "result");
            Objects.requireNonNull(units, "units");
        }

        /** A result billed by its tokens. */
        public Relayed(RelayResult result) {
            this(result, Units.tokens(result.usage()));
        }

        @Override
        public int status() {
            return result.status();
        }
    }

    /** The gateway answered itself (a model lookup, a local token estimate); no provider was asked. */
    record Answered(int status) implements Outcome {
    }

    /** Refused before anything was relayed, by admission itself or by a check; the client got {@code error}. */
    record Refused(GatewayException error) implements Outcome {
        public Refused {
            Objects.requireNonNull(error, "error");
        }

        @Override
        public int status() {
            return error.kind().status();
        }
    }

    /** The client went away before the gateway could answer it. */
    record ClientGone() implements Outcome {
        @Override
        public int status() {
            return 499;
        }
    }

    /** The gateway failed unexpectedly (a bug); the client got a 500 if anything. */
    record Crashed(Throwable error) implements Outcome {
        public Crashed {
            Objects.requireNonNull(error, "error");
        }

        @Override
        public int status() {
            return 500;
        }
    }
}
