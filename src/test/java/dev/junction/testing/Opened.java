package dev.junction.testing;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * What a test opened (fakes, gateways, clients), closed after each test, newest first:
 * {@code @RegisterExtension final Opened open = new Opened();}, then {@code open.add(FakeOpenAi.start(...))}.
 */
public final class Opened implements AfterEachCallback {

    private final List<AutoCloseable> open = new ArrayList<>();

    /** Closes {@code closeable} after the test; returns it. */
    public <T extends AutoCloseable> T add(T closeable) {
        open.add(closeable);
        return closeable;
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        Exception first = null;
        for (AutoCloseable c : open.reversed()) {
            try {
                c.close();
            } catch (Exception e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        open.clear();
        if (first != null) {
            throw first;
        }
    }
}
