package dev.junction.ingress;

import dev.junction.core.GatewayException;

/**
 * A condition a request must meet once its key and what it asks for are known, run by
 * {@link Admission} after the built-in steps (authenticate → read → allowed → exists) and in list
 * order: the place for key expiry, IP allow-lists, rate and concurrency limits and budgets.
 *
 * <p>A check may reserve something (a concurrency slot, an upper-bound cost against a budget) and
 * return a {@link Hold} for it. Every hold taken is {@linkplain Hold#settle settled} exactly once
 * when the request ends, however it ends — served, refused by a later check, refused by the
 * provider, crashed, or abandoned by the client — so a reservation is never leaked or charged twice.
 */
@FunctionalInterface
interface AdmissionCheck {

    /**
     * Lets the request in, returning what it holds ({@link Hold#NONE} for nothing), or refuses it.
     *
     * @throws GatewayException to refuse: 429 with {@link GatewayException#rateLimited a wait} for a
     *     limit or a budget, 403 for an expired key or an address it may not come from; the client
     *     gets it in its own API's shape and the refusal is recorded in usage
     */
    Hold admit(Admitted request);

    /** What one check reserved for one request. */
    @FunctionalInterface
    interface Hold {

        /** Nothing reserved. */
        Hold NONE = outcome -> {
        };

        /**
         * Charges or gives back the reservation now that the request is over. Called exactly once,
         * in the reverse order the holds were taken; an exception here is logged and does not stop
         * the other holds from settling.
         */
        void settle(Outcome outcome);
    }
}
