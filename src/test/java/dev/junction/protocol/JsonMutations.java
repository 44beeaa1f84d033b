package dev.junction.protocol;

import java.util.Arrays;
import java.util.Random;

/** Random damage to JSON bytes, for tests that compare two readers on what providers might send. */
public final class JsonMutations {

    private static final byte[] INSERTED = {'{', '}', '[', ']', '"', ',', ':', '\\', ' ', '0', '-', 'e', '.', 'n',
        't', 'u', 0, 1, 0x1f, 0x7f, (byte) 0x80, (byte) 0xBF, (byte) 0xC0, (byte) 0xC3, (byte) 0xE0, (byte) 0xED,
        (byte) 0xF0, (byte) 0xF4, (byte) 0xFF};

    private JsonMutations() {
    }

    /** {@code bytes} with one byte deleted, inserted or replaced, or cut short. */
    public static byte[] mutate(Random r, byte[] bytes) {
        if (bytes.length == 0) {
            return new byte[] {INSERTED[r.nextInt(INSERTED.length)]};
        }
        int at = r.nextInt(bytes.length);
        return switch (r.nextInt(4)) {
            case 0 -> { // delete
                byte[] out = new byte[bytes.length - 1];
                System.arraycopy(bytes, 0, out, 0, at);
                System.arraycopy(bytes, at + 1, out, at, bytes.length - at - 1);
                yield out;
            }
            case 1 -> { // insert
                byte[] out = new byte[bytes.length + 1];
                System.arraycopy(bytes, 0, out, 0, at);
                out[at] = INSERTED[r.nextInt(INSERTED.length)];
                System.arraycopy(bytes, at, out, at + 1, bytes.length - at);
                yield out;
            }
            case 2 -> { // replace
                byte[] out = bytes.clone();
                out[at] = INSERTED[r.nextInt(INSERTED.length)];
                yield out;
            }
            default -> Arrays.copyOf(bytes, at); // cut
        };
    }
}
