package io.barstore.server.format;

import io.barstore.engine.arrow.ArrowIpc;

import java.util.Locale;

/** The three ways bars travel over HTTP, both ways: JSON (the default), CSV with a header, and an Arrow IPC stream. */
public enum BarFormat
{
    JSON("json", "application/json"),
    CSV("csv", "text/csv"),
    ARROW("arrow", ArrowIpc.STREAM_MIME_TYPE);

    private final String parameterValue;
    private final String mediaType;

    BarFormat(final String parameterValue, final String mediaType)
    {
        this.parameterValue = parameterValue;
        this.mediaType = mediaType;
    }

    /** The value of {@code format=} that asks for it. */
    public String parameterValue()
    {
        return parameterValue;
    }

    /** The media type without parameters, as in {@code Accept} and {@code Content-Type}. */
    public String mediaType()
    {
        return mediaType;
    }

    /** The {@code Content-Type} of a response in this format. */
    public String contentType()
    {
        return this == ARROW ? mediaType : mediaType + "; charset=utf-8";
    }

    /** The format a {@code format=} value names, ignoring case; null for any other value. */
    public static BarFormat ofParameter(final String value)
    {
        for (final BarFormat f : values())
        {
            if (f.parameterValue.equalsIgnoreCase(value.trim()))
            {
                return f;
            }
        }
        return null;
    }

    /**
     * The format a media type (parameters such as {@code charset} ignored) names; null for any other. Also accepted:
     * {@code application/csv} and {@code text/json}, which some clients send.
     */
    public static BarFormat ofMediaType(final String mediaType)
    {
        if (mediaType == null)
        {
            return null;
        }
        final int semicolon = mediaType.indexOf(';');
        final String bare = (semicolon < 0 ? mediaType : mediaType.substring(0, semicolon)).trim()
            .toLowerCase(Locale.ROOT);
        switch (bare)
        {
            case "application/json":
            case "text/json":
                return JSON;
            case "text/csv":
            case "application/csv":
                return CSV;
            case ArrowIpc.STREAM_MIME_TYPE:
                return ARROW;
            default:
                return null;
        }
    }

    /** "json, csv or arrow", for messages. */
    public static String parameterValues()
    {
        return "json, csv or arrow";
    }
}
