package dev.junction.usage;

import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Several observers, each told in turn; one that throws does not keep the others from hearing. */
record EachObserver(List<RequestObserver> observers) implements RequestObserver {

    private static final Logger LOG = LoggerFactory.getLogger(EachObserver.class);

    @Override
    public void onEnd(RequestEnd end) {
        for (RequestObserver observer : observers) {
            try {
                observer.onEnd(end);
            } catch (RuntimeException e) {
                LOG.error("{} observing the end of the request failed", end.record().requestId(), e);
            }
        }
    }
}
