package io.barstore.bench;

import org.agrona.UnsafeApi;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * The machine's yardstick for the regression gate: no barstore code, only the work barstore's hot paths are made of
 * (copying bytes, as an append does, and streaming doubles out of memory, as a read does), over a block that stays
 * in the core's caches as a 2,340-bar read does. The gate divides every benchmark by this one, measured in the same
 * run, so a slower or busier machine moves both and the ratio stays.
 * <p>
 * A first version copied 16 MiB, past the last-level cache: its speed changed by 13% from one fork to the next on a
 * quiet machine (where the OS placed the two blocks), which moved every ratio with it. A cache-resident block moves
 * with the CPU's speed only.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ReferenceBenchmark
{
    /** 128 KiB copied into another 128 KiB: both fit in the L2 of the cores this runs on. */
    static final long BYTES = 128L << 10;

    private long source;
    private long target;

    @Setup(Level.Trial)
    public void setUp()
    {
        source = UnsafeApi.allocateMemory(BYTES);
        target = UnsafeApi.allocateMemory(BYTES);
        for (long i = 0; i < BYTES; i += Double.BYTES)
        {
            UnsafeApi.putDouble(source + i, i * 0.5);
        }
        UnsafeApi.setMemory(target, BYTES, (byte)0);
    }

    @TearDown(Level.Trial)
    public void tearDown()
    {
        UnsafeApi.freeMemory(source);
        UnsafeApi.freeMemory(target);
    }

    /** Copies the block, then sums it as doubles; returns the sum so nothing is dead code. */
    @Benchmark
    public double copyAndSum()
    {
        UnsafeApi.copyMemory(source, target, BYTES);
        double a = 0;
        double b = 0;
        for (long i = 0; i < BYTES; i += 2 * Double.BYTES)
        {
            a += UnsafeApi.getDouble(target + i);
            b += UnsafeApi.getDouble(target + i + Double.BYTES);
        }
        return a + b;
    }
}
