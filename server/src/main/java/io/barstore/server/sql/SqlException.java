package io.barstore.server.sql;

/** A SQL request that did not give a result: what went wrong, in words for the user, and the HTTP status for it. */
public final class SqlException extends RuntimeException
{
    /** Why a query gave no result. */
    public enum Kind
    {
        /** Not a single read-only query, or it reaches for something the sandbox forbids: 400. */
        REJECTED(400),
        /** DuckDB refused or failed it (syntax, unknown column, bad cast...): 400. */
        FAILED(400),
        /** The result has more rows than the limit: 400. */
        TOO_MANY_ROWS(400),
        /** It ran past the time limit and was interrupted: 408. */
        TIMEOUT(408),
        /** It needed more memory than the limit: 503. */
        OUT_OF_MEMORY(503),
        /** The SQL worker is not there (starting, restarting after a crash, or busy past the time limit): 503. */
        UNAVAILABLE(503);

        private final int httpStatus;

        Kind(final int httpStatus)
        {
            this.httpStatus = httpStatus;
        }

        public int httpStatus()
        {
            return httpStatus;
        }
    }

    private final Kind kind;

    public SqlException(final Kind kind, final String message)
    {
        super(message);
        this.kind = kind;
    }

    public Kind kind()
    {
        return kind;
    }
}
