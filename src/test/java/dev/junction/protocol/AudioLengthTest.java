package dev.junction.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/** The seconds an upload plays, when the provider does not say. */
class AudioLengthTest {

    private static byte[] wavHeader(int byteRate, int dataBytes, boolean listChunk) {
        ByteBuffer b = ByteBuffer.allocate(80).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes()).putInt(0).put("WAVE".getBytes());
        if (listChunk) {
            b.put("LIST".getBytes()).putInt(4).put("INFO".getBytes());
        }
        b.put("fmt ".getBytes()).putInt(16).putShort((short) 1).putShort((short) 2).putInt(byteRate / 4)
                .putInt(byteRate).putShort((short) 4).putShort((short) 16);
        b.put("data".getBytes()).putInt(dataBytes);
        return java.util.Arrays.copyOf(b.array(), b.position());
    }

    @Test
    void aWavIsMeasuredByItsHeaderRoundedUpToWholeSeconds() {
        byte[] head = wavHeader(176_400, 176_400 * 3 + 1, true); // CD quality, a little over 3 s
        assertThat(AudioLength.seconds(head, head.length + 176_400L * 3 + 1)).isEqualTo(4);
        byte[] exact = wavHeader(32_000, 64_000, false);
        assertThat(AudioLength.seconds(exact, exact.length + 64_000L)).isEqualTo(2);
    }

    @Test
    void anythingElseCountsAt128KilobitsASecondAndANonEmptyFileIsAtLeastOneSecond() {
        assertThat(AudioLength.seconds(new byte[] {'I', 'D', '3'}, 160_000)).isEqualTo(10);
        assertThat(AudioLength.seconds(new byte[] {'I', 'D', '3'}, 160_001)).isEqualTo(11);
        assertThat(AudioLength.seconds(new byte[0], 10)).isEqualTo(1);
        assertThat(AudioLength.seconds(new byte[0], 0)).isZero();
        assertThat(AudioLength.seconds("RIFF\0\0\0\0WAVEjunk".getBytes(), 32_000)).as("no fmt chunk: by size")
                .isEqualTo(2);
    }
}
