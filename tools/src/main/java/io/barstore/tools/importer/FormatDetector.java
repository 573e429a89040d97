package io.barstore.tools.importer;

import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Looks at the first lines of a file: which format it is ({@code --format auto}), which delimiter it uses, and
 * whether its first line is a header. A header is a first line none of whose fields is a number or a timestamp.
 */
final class FormatDetector
{
    private static final char[] DELIMITERS = {',', ';', '\t', '|'};

    private final List<String> lines;
    private final char delimiter;
    private final List<String> first;
    private final List<String> second;
    private final boolean header;

    /** @param delimiter the delimiter given, or null to detect it. */
    FormatDetector(final String head, final boolean headIsWholeFile, final Character delimiter, final Boolean header)
    {
        this.lines = firstLines(head, headIsWholeFile, 2);
        final String line = lines.isEmpty() ? "" : lines.get(0);
        this.delimiter = delimiter != null ? delimiter : detectDelimiter(line);
        this.first = lines.isEmpty() ? List.of() : fields(lines.get(0), this.delimiter);
        this.second = lines.size() < 2 ? null : fields(lines.get(1), this.delimiter);
        this.header = header != null ? header : looksLikeHeader(first);
    }

    /** True when the file holds only blank lines. */
    boolean blank()
    {
        return lines.isEmpty();
    }

    char delimiter()
    {
        return delimiter;
    }

    boolean header()
    {
        return header;
    }

    /** The header's names, or null when the file has none. */
    List<String> headerNames()
    {
        return header ? first : null;
    }

    /** Fields in a row: the header's, else the first row's. */
    int fieldCount()
    {
        return first.size();
    }

    /** The format of a file under {@code --format auto}. */
    ImportFormat detect(final String head)
    {
        final String trimmed = head.stripLeading();
        if (trimmed.startsWith("{") || trimmed.startsWith("["))
        {
            return ImportFormat.ALPACA;
        }
        if (!header)
        {
            return BinancePreset.recognisesRow(first) ? ImportFormat.BINANCE : ImportFormat.CSV;
        }
        final Set<String> names = new HashSet<>();
        for (final String name : first)
        {
            names.add(CsvPreset.normalise(name));
        }
        if (PolygonPreset.recognises(names))
        {
            return ImportFormat.POLYGON;
        }
        if (BinancePreset.recognises(names))
        {
            return ImportFormat.BINANCE;
        }
        if (TradesPreset.recognises(names))
        {
            return ImportFormat.TRADES;
        }
        if (YahooPreset.recognises(names, firstValueIsDate(names)))
        {
            return ImportFormat.YAHOO;
        }
        return ImportFormat.CSV;
    }

    /** True when the first data row's date column holds a date without a time. */
    private boolean firstValueIsDate(final Set<String> names)
    {
        if (second == null || !names.contains("date"))
        {
            return false;
        }
        for (int i = 0; i < first.size() && i < second.size(); i++)
        {
            if (CsvPreset.normalise(first.get(i)).equals("date"))
            {
                final String value = second.get(i).trim();
                final TimestampParser parser = new TimestampParser(TsUnit.DATE, null);
                return parser.parse(value.toCharArray(), 0, value.length()) != TimestampParser.FAILED;
            }
        }
        return false;
    }

    /** The first {@code max} non-blank lines; a last line cut off by the end of the head is left out. */
    static List<String> firstLines(final String head, final boolean headIsWholeFile, final int max)
    {
        final List<String> lines = new ArrayList<>();
        int start = 0;
        while (start < head.length() && lines.size() < max)
        {
            int end = head.indexOf('\n', start);
            if (end < 0)
            {
                if (!headIsWholeFile && !lines.isEmpty())
                {
                    break;
                }
                end = head.length();
            }
            String line = head.substring(start, end);
            if (line.endsWith("\r"))
            {
                line = line.substring(0, line.length() - 1);
            }
            if (!line.isBlank())
            {
                lines.add(line);
            }
            start = end + 1;
        }
        return lines;
    }

    /** The most frequent of comma, semicolon, tab and bar in the line; comma when none is there. */
    static char detectDelimiter(final String line)
    {
        char best = ',';
        int bestCount = 0;
        for (final char d : DELIMITERS)
        {
            int count = 0;
            for (int i = 0; i < line.length(); i++)
            {
                if (line.charAt(i) == d)
                {
                    count++;
                }
            }
            if (count > bestCount)
            {
                best = d;
                bestCount = count;
            }
        }
        return best;
    }

    static List<String> fields(final String line, final char delimiter)
    {
        try
        {
            final CsvRecord record = CsvReader.builder().fieldSeparator(delimiter).ofSingleCsvRecord(line);
            return record.getFields();
        }
        catch (final RuntimeException ex)
        {
            return List.of(line.split(String.valueOf(delimiter), -1));
        }
    }

    /** None of the fields is a number or a timestamp. */
    static boolean looksLikeHeader(final List<String> fields)
    {
        if (fields.isEmpty())
        {
            return false;
        }
        final NumberParser numbers = new NumberParser();
        for (final String field : fields)
        {
            final char[] chars = field.toCharArray();
            numbers.parseDouble(chars, 0, chars.length);
            if (numbers.status() == NumberParser.OK && !field.isBlank() && !isWord(field))
            {
                return false;
            }
            final TimestampParser ts = new TimestampParser(TsUnit.ISO, null);
            if (ts.parse(chars, 0, chars.length) != TimestampParser.FAILED)
            {
                return false;
            }
        }
        return true;
    }

    /** NaN and Infinity parse as numbers, but a header could be named so; digits decide. */
    private static boolean isWord(final String field)
    {
        for (int i = 0; i < field.length(); i++)
        {
            if (Character.isDigit(field.charAt(i)))
            {
                return false;
            }
        }
        return true;
    }
}
