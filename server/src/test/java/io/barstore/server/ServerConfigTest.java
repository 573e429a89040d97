package io.barstore.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The safe defaults: loopback only, and no listening elsewhere without a token unless told insecure. */
class ServerConfigTest
{
    @Test
    void listensOnLoopbackPort8080WithoutATokenByDefault()
    {
        final ServerConfig config = ServerConfig.builder().build();
        assertEquals("127.0.0.1", config.bind());
        assertEquals(8080, config.port());
        assertTrue(config.loopback());
        assertNull(config.token());
        assertEquals(64L << 20, config.maxBodyBytes());
        assertEquals(1_000_000, config.maxBarsPerResponse());
    }

    @Test
    void refusesANonLoopbackAddressWithoutATokenUnlessInsecure()
    {
        final ServerConfigException refused = assertThrows(ServerConfigException.class,
            () -> ServerConfig.builder().bind("0.0.0.0").build());
        assertTrue(refused.getMessage().contains("--token-file"), refused.getMessage());
        assertTrue(refused.getMessage().contains("--insecure"), refused.getMessage());
        assertFalse(ServerConfig.builder().bind("0.0.0.0").token("t").build().loopback());
        assertTrue(ServerConfig.builder().bind("0.0.0.0").insecure(true).build().insecure());
        assertTrue(ServerConfig.builder().bind("::1").build().loopback());
        assertTrue(ServerConfig.builder().bind("localhost").build().loopback());
    }

    @Test
    void readsATokenFileWithoutItsTrailingNewline(@TempDir final Path dir) throws Exception
    {
        final Path file = dir.resolve("token");
        Files.writeString(file, "s3cret\n");
        assertEquals("s3cret", ServerConfig.readTokenFile(file));
        Files.writeString(file, " \n");
        assertTrue(assertThrows(ServerConfigException.class, () -> ServerConfig.readTokenFile(file)).getMessage()
            .contains("empty"));
        assertThrows(ServerConfigException.class, () -> ServerConfig.readTokenFile(dir.resolve("missing")));
    }

    @Test
    void keepsAnEighthOfTheHeapOfJsonTextUnlessToldOtherwise()
    {
        assertEquals(Runtime.getRuntime().maxMemory() / 8, ServerConfig.builder().build().jsonCacheBytes());
        assertEquals(0, ServerConfig.builder().jsonCacheBytes(0).build().jsonCacheBytes());
        final ServerConfigException refused = assertThrows(ServerConfigException.class,
            () -> ServerConfig.builder().jsonCacheBytes(-1));
        assertTrue(refused.getMessage().contains("JSON cache"), refused.getMessage());
    }

    @Test
    void neverShowsTheTokenInItsDescription()
    {
        final String text = ServerConfig.builder().token("s3cret").build().toString();
        assertFalse(text.contains("s3cret"), text);
    }

    @Test
    void refusesImpossibleLimitsAndPorts()
    {
        assertThrows(ServerConfigException.class, () -> ServerConfig.builder().port(70_000).build());
        assertThrows(ServerConfigException.class, () -> ServerConfig.builder().maxBodyBytes(0).build());
        assertThrows(ServerConfigException.class, () -> ServerConfig.builder().maxBarsPerResponse(0).build());
        assertThrows(ServerConfigException.class, () -> ServerConfig.builder().token(" ").build());
    }

    @Test
    void failsToStartOnAPortInUseWithAMessageSayingSo(@TempDir final Path dir)
    {
        try (TestServer first = TestServer.start(dir.resolve("a")))
        {
            final int port = first.server.port();
            final io.barstore.engine.BarStore store = io.barstore.engine.BarStore.open(dir.resolve("b"));
            try
            {
                final BarServer second = new BarServer(store, ServerConfig.builder().port(port).build());
                final ServerStartException ex = assertThrows(ServerStartException.class, second::start);
                assertTrue(ex.getMessage().contains("in use"), ex.getMessage());
                second.stop();
            }
            finally
            {
                store.close();
            }
        }
    }
}
