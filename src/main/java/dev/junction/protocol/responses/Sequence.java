package dev.junction.protocol.responses;

/**
 * The {@code sequence_number} of one answer's events, shared by whatever writes them (the
 * pass-through scanner, the stream encoder, the in-band error), so numbers keep rising across them.
 */
final class Sequence {

    private int next;

    synchronized int next() {
        return next++;
    }

    /** An event the upstream numbered itself went by. */
    synchronized void seen(int number) {
        next = Math.max(next, number + 1);
    }
}
