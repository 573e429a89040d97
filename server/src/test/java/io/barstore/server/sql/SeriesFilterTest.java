package io.barstore.server.sql;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.barstore.engine.SeriesKey;
import io.barstore.engine.Timeframe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Which series a query's plain WHERE conditions let the view leave out, on DuckDB's own parse of the query. */
class SeriesFilterTest
{
    private static final SeriesKey AAPL_1M = SeriesKey.of("AAPL", Timeframe.M1);
    private static final SeriesKey AAPL_5M_POLYGON = SeriesKey.of("AAPL", Timeframe.M5, "polygon");
    private static final SeriesKey MSFT_1M = SeriesKey.of("MSFT", Timeframe.M1);
    private static Connection connection;

    @BeforeAll
    static void openDuckDb() throws Exception
    {
        connection = DriverManager.getConnection("jdbc:duckdb:");
    }

    @AfterAll
    static void closeDuckDb() throws Exception
    {
        connection.close();
    }

    @Test
    void anEqualityOnSymbolKeepsOnlyThatSymbol() throws Exception
    {
        assertAdmits("SELECT * FROM bars WHERE symbol = 'AAPL' AND ts >= '2025-01-01'", true, true, false);
        assertAdmits("SELECT * FROM bars b WHERE 'AAPL' = b.symbol", true, true, false);
        assertAdmits("SELECT count(*) FROM (SELECT * FROM bars WHERE bars.symbol IN ('MSFT', 'IBM'))", false, false, true);
    }

    @Test
    void conditionsOnTimeframeAndSourceCombine() throws Exception
    {
        assertAdmits("SELECT * FROM bars WHERE symbol = 'AAPL' AND timeframe = '5m' AND source = 'polygon'",
            false, true, false);
        assertAdmits("SELECT * FROM bars WHERE (timeframe = '1m' AND source = 'default') AND close > 1", true, false, true);
    }

    @Test
    void anythingLessPlainLeavesEverySeriesIn() throws Exception
    {
        assertAdmits("SELECT * FROM bars WHERE symbol = 'AAPL' OR close > 100", true, true, true);
        assertAdmits("SELECT * FROM bars WHERE NOT (symbol = 'AAPL')", true, true, true);
        assertAdmits("SELECT * FROM bars WHERE lower(symbol) = 'aapl'", true, true, true);
        assertAdmits("SELECT * FROM bars WHERE symbol LIKE 'AA%'", true, true, true);
        assertAdmits("SELECT * FROM bars WHERE symbol IN (SELECT 'AAPL')", true, true, true);
        assertAdmits("SELECT * FROM bars JOIN (SELECT 'AAPL' AS s) x ON symbol = s WHERE symbol = 'AAPL'",
            true, true, true);
        assertAdmits("SELECT * FROM bars", true, true, true);
    }

    @Test
    void aConditionOnAnotherTablesColumnOfTheSameNameIsNotTaken() throws Exception
    {
        assertAdmits("SELECT * FROM bars b WHERE x.symbol = 'AAPL'", true, true, true);
    }

    @Test
    void contradictoryConditionsAdmitNothing() throws Exception
    {
        assertAdmits("SELECT * FROM bars WHERE symbol = 'AAPL' AND symbol = 'MSFT'", false, false, false);
    }

    private static void assertAdmits(final String sql, final boolean aapl1m, final boolean aapl5mPolygon,
        final boolean msft1m) throws Exception
    {
        final SeriesFilter filter = SeriesFilter.of(parse(sql));
        assertEquals(aapl1m + " " + aapl5mPolygon + " " + msft1m,
            filter.admits(AAPL_1M) + " " + filter.admits(AAPL_5M_POLYGON) + " " + filter.admits(MSFT_1M), sql);
    }

    private static JsonNode parse(final String sql) throws Exception
    {
        try (PreparedStatement statement = connection.prepareStatement("SELECT json_serialize_sql(?)"))
        {
            statement.setString(1, sql);
            try (ResultSet rs = statement.executeQuery())
            {
                rs.next();
                return new ObjectMapper().readTree(rs.getString(1)).get("statements").get(0);
            }
        }
    }
}
