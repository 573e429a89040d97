package io.barstore.server.sql;

/** How a SQL result is sent: a JSON document, or an Arrow IPC stream. */
public enum SqlFormat
{
    JSON,
    ARROW
}
