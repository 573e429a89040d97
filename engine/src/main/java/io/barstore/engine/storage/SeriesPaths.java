package io.barstore.engine.storage;

import io.barstore.engine.BarStoreException;
import io.barstore.engine.SeriesKey;
import io.barstore.engine.Timeframe;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Turns series keys into directories under {@code <data>/series} and back. Every character of a symbol or source
 * other than {@code A-Z a-z 0-9 _ -} is percent-encoded, so {@code .}, {@code /} and NUL can never form a path
 * separator or a {@code ..} component, and each name is exactly one path component:
 * {@code series/<timeframe>/<source>/<symbol>/}, e.g. {@code series/5m/default/BRK%2EB/}.
 */
public final class SeriesPaths
{
    public static final String SERIES_DIR = "series";
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private final Path root;

    public SeriesPaths(final Path dataDir)
    {
        this.root = dataDir.toAbsolutePath().normalize().resolve(SERIES_DIR);
    }

    public Path root()
    {
        return root;
    }

    /** The directory of a series; checked to lie inside the data directory as a second line of defence. */
    public Path directory(final SeriesKey key)
    {
        final Path dir = root.resolve(key.timeframe().label()).resolve(encode(key.source())).resolve(encode(key.symbol()))
            .normalize();
        if (!dir.startsWith(root) || dir.getNameCount() != root.getNameCount() + 3)
        {
            throw new BarStoreException(BarStoreException.Category.BAD_INPUT,
                "series name would leave the data directory").with("series", key);
        }
        return dir;
    }

    /** Percent-encodes every byte of the UTF-8 form that is not an ASCII letter, digit, '_' or '-'. */
    public static String encode(final String name)
    {
        final byte[] utf8 = name.getBytes(StandardCharsets.UTF_8);
        final StringBuilder sb = new StringBuilder(utf8.length * 3);
        for (final byte b : utf8)
        {
            final int c = b & 0xFF;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-')
            {
                sb.append((char)c);
            }
            else
            {
                sb.append('%').append(HEX[c >>> 4]).append(HEX[c & 0xF]);
            }
        }
        return sb.toString();
    }

    public static String decode(final String encoded)
    {
        final byte[] out = new byte[encoded.length()];
        int n = 0;
        for (int i = 0; i < encoded.length(); i++)
        {
            final char c = encoded.charAt(i);
            if (c == '%' && i + 2 < encoded.length())
            {
                out[n++] = (byte)Integer.parseInt(encoded.substring(i + 1, i + 3), 16);
                i += 2;
            }
            else
            {
                out[n++] = (byte)c;
            }
        }
        return new String(out, 0, n, StandardCharsets.UTF_8);
    }

    /** The key of a series directory found on disk, or null when the names are not ones barstore writes. */
    public SeriesKey keyOf(final String timeframeLabel, final String encodedSource, final String encodedSymbol)
    {
        try
        {
            return SeriesKey.of(decode(encodedSymbol), Timeframe.parse(timeframeLabel), decode(encodedSource));
        }
        catch (final RuntimeException ex)
        {
            return null;
        }
    }
}
