package io.barstore.server.http;

/** The query parameters of the API; each route names the ones it takes and answers 400 to any other. */
public enum QueryParam
{
    SYMBOLS("symbols"),
    TIMEFRAME("timeframe"),
    START("start"),
    END("end"),
    LIMIT("limit"),
    SOURCE("source"),
    FORMAT("format");

    private final String key;

    QueryParam(final String key)
    {
        this.key = key;
    }

    /** The name in the query string. */
    public String key()
    {
        return key;
    }

    static QueryParam byKey(final String key)
    {
        for (final QueryParam p : values())
        {
            if (p.key.equals(key))
            {
                return p;
            }
        }
        return null;
    }
}
