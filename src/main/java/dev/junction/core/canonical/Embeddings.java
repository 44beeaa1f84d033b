package dev.junction.core.canonical;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * An embeddings answer in the gateway's own terms: one vector per input, in input order, and the
 * tokens counted.
 *
 * @param vectors one per input
 * @param usage the tokens counted (input only)
 */
public record Embeddings(List<Vector> vectors, Usage usage) {

    public Embeddings {
        vectors = List.copyOf(vectors);
        Objects.requireNonNull(usage, "usage");
    }

    /** One embedding vector; its values are copied in and never handed out, so it stays immutable. */
    public static final class Vector {

        private final double[] values;

        private Vector(double[] values) {
            this.values = values;
        }

        public static Vector of(double... values) {
            return new Vector(values.clone());
        }

        public int size() {
            return values.length;
        }

        public double get(int index) {
            return values[index];
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Vector vector && Arrays.equals(values, vector.values);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(values);
        }

        @Override
        public String toString() {
            return Arrays.toString(values);
        }
    }
}
