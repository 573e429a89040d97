package io.barstore.engine.arrow;

import io.barstore.engine.BarStore;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static io.barstore.engine.arrow.ArrowTestBars.assertNoLeak;

/** A store in a temporary directory and an Arrow allocator per test, checked for leaked memory afterwards. */
abstract class StoreAndAllocatorFixture
{
    @TempDir
    Path dir;
    BarStore store;
    RootAllocator allocator;

    @BeforeEach
    void open()
    {
        store = BarStore.open(ArrowTestBars.config(dir));
        allocator = new RootAllocator();
    }

    @AfterEach
    void close()
    {
        store.close();
        assertNoLeak(allocator);
    }
}
