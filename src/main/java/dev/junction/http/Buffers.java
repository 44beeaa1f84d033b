package dev.junction.http;

import org.eclipse.jetty.io.ArrayByteBufferPool;
import org.eclipse.jetty.io.ByteBufferPool;

/** The I/O buffer pools of the server and the upstream clients. */
final class Buffers {

    /**
     * Idle bytes one pool may keep. Jetty's default keeps up to an eighth of the maximum heap per
     * pool in direct memory, which shows up as resident memory that never goes back after a burst.
     */
    private static final long MAX_IDLE_BYTES = 16L << 20;

    private Buffers() {
    }

    static ByteBufferPool pool() {
        return new ArrayByteBufferPool(0, -1, -1, Integer.MAX_VALUE, MAX_IDLE_BYTES, MAX_IDLE_BYTES);
    }
}
