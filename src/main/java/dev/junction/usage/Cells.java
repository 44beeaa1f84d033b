package dev.junction.usage;

/**
 * A batch of usage records summed once, by minute and by every dimension any rollup table keeps
 * ({@link StagedBatch} adds each record to its cell as it arrives): each record costs one key and
 * one hash lookup, and every table of every grain and shape
 * ({@link Rollups}, {@link EndpointRollups}) is then summed from these cells, of which a batch has
 * few (one per minute and combination of dimensions that occurred), instead of from the records
 * once per table.
 */
final class Cells {

    /**
     * The finest dimensions: the minute, then those of the endpoint rollups. An absent id is 0 and
     * an absent model "", as in the tables; an absent endpoint stays null (such records count in
     * the rollups but not by endpoint).
     */
    record Cell(long minute, String endpoint, String unit, long keyId, long userId, long teamId, String publicModel,
            long channelId, String upstreamModel, int statusClass) {

        static Cell of(UsageRecord r) {
            return new Cell(Rollups.Grain.MINUTE.bucket(r.at().toEpochMilli()), r.endpoint(), r.units().unit(),
                    id(r.keyId()), id(r.userId()), id(r.teamId()), text(r.publicModel()), id(r.channelId()),
                    text(r.upstreamModel()), r.statusClass());
        }

        private static long id(Long id) {
            return id == null ? 0 : id;
        }

        private static String text(String s) {
            return s == null ? "" : s;
        }
    }

    private Cells() {
    }
}
