package dev.junction.ingress;

import dev.junction.http.Downstream;
import dev.junction.http.Downstream.ClientGoneException;
import dev.junction.protocol.ClientRequest;
import dev.junction.relay.Relay;
import dev.junction.relay.RelayResult;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * A token count ({@code count_tokens}, {@code :countTokens}): relayed to the model's channels when
 * they speak the client's API (their provider counts exactly), else the gateway's estimate in the
 * same shape. The estimate also answers when the relay could not get a count: many
 * Anthropic-compatible endpoints (the ones Claude Code is pointed at through other providers) have
 * no {@code count_tokens} and answer 404, and a count is never worth an error while channels are
 * down or at their limits. A provider's refusal of the request itself (a 400) reaches the client.
 */
final class TokenCount {

    private TokenCount() {
    }

    /**
     * Answers {@code request} on {@code client} and tells {@code ticket} how.
     *
     * @param relayed whether the model's first channel speaks the client's API (else the estimate at once)
     */
    static void answer(Admission.Ticket ticket, Relay relay, ClientRequest request, boolean relayed,
            Downstream client, Supplier<byte[]> estimate) throws ClientGoneException {
        if (relayed) {
            UncountedHeld down = new UncountedHeld(client);
            RelayResult result = relay.relay(request, down);
            if (!down.held()) {
                ticket.relayed(result);
                return;
            }
        }
        client.respond(200, "application/json", estimate.get());
        ticket.answered(200);
    }

    /** Whether an answer of the relay means that no channel could count (not that the request is wrong). */
    private static boolean uncounted(int status) {
        return status == 404 || status == 429 || status >= 500;
    }

    /**
     * The client's response as the relay sees it, except that an {@link #uncounted} answer is held
     * back (with the headers set for it) so that the estimate goes out instead.
     */
    private static final class UncountedHeld implements Downstream {

        private final Downstream client;
        private final List<String[]> headers = new ArrayList<>(2);
        private boolean held;

        UncountedHeld(Downstream client) {
            this.client = client;
        }

        boolean held() {
            return held;
        }

        @Override
        public void header(String name, String value) {
            headers.add(new String[] {name, value});
        }

        @Override
        public void respond(int status, String contentType, byte[] body) throws ClientGoneException {
            if (uncounted(status)) {
                held = true;
                return;
            }
            release();
            client.respond(status, contentType, body);
        }

        @Override
        public void startStream(int status) throws ClientGoneException {
            release();
            client.startStream(status);
        }

        @Override
        public void startBody(int status, String contentType) throws ClientGoneException {
            release();
            client.startBody(status, contentType);
        }

        @Override
        public void abort() {
            client.abort();
        }

        @Override
        public void send(byte[] bytes) throws ClientGoneException {
            client.send(bytes);
        }

        @Override
        public void finish() throws ClientGoneException {
            client.finish();
        }

        @Override
        public boolean committed() {
            return held || client.committed();
        }

        @Override
        public void onClientGone(Runnable action) {
            client.onClientGone(action);
        }

        @Override
        public boolean stopped() {
            return client.stopped();
        }

        private void release() {
            for (String[] header : headers) {
                client.header(header[0], header[1]);
            }
            headers.clear();
        }
    }
}
