package dev.junction.protocol.openai;

/**
 * The check that {@link QuickScan} and Jackson's reading ({@link ChunkScan#parse}) agree: whenever
 * the quick scan answers, Jackson reads the same document without error and to the same result.
 * Public for the fuzz targets.
 */
public final class ChunkScanAgreement {

    private ChunkScanAgreement() {
    }

    /**
     * @return whether the quick scan answered (it may leave a document to Jackson)
     * @throws AssertionError when the two disagree
     */
    public static boolean check(byte[] json, int offset, int length) {
        ChunkScan quick = QuickScan.of(json, offset, length);
        if (quick == null) {
            return false;
        }
        ChunkScan parsed;
        try {
            parsed = ChunkScan.parse(json, offset, length);
        } catch (IllegalArgumentException e) {
            throw new AssertionError("the quick scan read " + quick + " where Jackson refused: " + e.getMessage()
                    + " in " + text(json, offset, length), e);
        }
        if (!quick.equals(parsed)) {
            throw new AssertionError("the quick scan read " + quick + ", Jackson " + parsed + " in "
                    + text(json, offset, length));
        }
        return true;
    }

    public static boolean check(byte[] json) {
        return check(json, 0, json.length);
    }

    private static String text(byte[] json, int offset, int length) {
        return new String(json, offset, Math.min(length, 2000), java.nio.charset.StandardCharsets.UTF_8);
    }
}
