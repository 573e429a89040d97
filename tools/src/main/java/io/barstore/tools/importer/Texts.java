package io.barstore.tools.importer;

/** Showing a user's bad input back to them: at most a line's worth, control characters escaped. */
final class Texts
{
    static final int MAX_EXCERPT = 40;

    private Texts()
    {
    }

    static String excerpt(final char[] b, final int offset, final int length)
    {
        final StringBuilder sb = new StringBuilder(Math.min(length, MAX_EXCERPT) + 4);
        final int shown = Math.min(length, MAX_EXCERPT);
        for (int i = offset; i < offset + shown; i++)
        {
            appendPrintable(sb, b[i]);
        }
        if (length > shown)
        {
            sb.append("...");
        }
        return sb.toString();
    }

    static String excerpt(final String s)
    {
        return excerpt(s.toCharArray(), 0, s.length());
    }

    private static void appendPrintable(final StringBuilder sb, final char c)
    {
        if (c >= 0x20 && c != 0x7f && c != '"' && c != '\\' && !Character.isISOControl(c) && c != '\uFFFD')
        {
            sb.append(c);
        }
        else if (c == '"' || c == '\\')
        {
            sb.append('\\').append(c);
        }
        else
        {
            sb.append(String.format("\\u%04X", (int)c));
        }
    }
}
