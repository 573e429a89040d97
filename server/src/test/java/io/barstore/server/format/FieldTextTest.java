package io.barstore.server.format;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@link FieldText} reuses a timestamp's date part across bars of one day; interleaved with numbers it stays right. */
class FieldTextTest
{
    @Test
    void timestampsInAnyOrderInterleavedWithNumbersReadAsIsoTimeWritesThem()
    {
        final FieldText text = new FieldText();
        final Random rnd = new Random(3);
        long ts = 1_735_776_000_000_000_000L; // 2025-01-02
        for (int i = 0; i < 200_000; i++)
        {
            // Mostly forward by up to an hour (crossing midnight now and then), sometimes a jump back or to 1969.
            ts += i % 1_000 == 999 ? -rnd.nextInt(1_000_000) * 1_000_000_000L : rnd.nextInt(3_600_000) * 1_000_000L;
            final long t = i % 50_000 == 7 ? -1_500_000_000L - i : ts;
            text.ofTs(t);
            assertEquals(IsoTime.toString(t), new String(text.chars(), 0, text.length()));
            final double price = rnd.nextInt(1_000_000) / 100.0;
            text.ofDouble(price);
            assertEquals(Double.toString(price), new String(text.chars(), 0, text.length()));
        }
    }
}
