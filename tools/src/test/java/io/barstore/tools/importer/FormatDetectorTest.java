package io.barstore.tools.importer;

import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class FormatDetectorTest
{
    private static ImportFormat detect(final String head)
    {
        return new FormatDetector(head, true, null, null).detect(head);
    }

    @Test
    void eachFormatIsRecognisedFromItsHeaderOrFirstCharacter()
    {
        assertEquals(ImportFormat.POLYGON, detect(
            "ticker,volume,open,close,high,low,window_start,transactions\nA,1,1,1,1,1,1704205800000000000,1\n"));
        assertEquals(ImportFormat.ALPACA, detect("  \n{\"bars\":{}}"));
        assertEquals(ImportFormat.ALPACA, detect("[{\"t\":\"2024-01-02T14:30:00Z\"}]"));
        assertEquals(ImportFormat.BINANCE, detect(
            "1704067200000,42283.58,42298.62,42261.02,42298.61,35.92724,1704067259999,1519032.2,1327,22.5,951312.3,0\n"));
        assertEquals(ImportFormat.BINANCE, detect("open_time,open,high,low,close,volume,close_time,quote_volume,count," +
            "taker_buy_volume,taker_buy_quote_volume,ignore\n1735689600000000,1,1,1,1,1,1735689659999999,1,1,1,1,0\n"));
        assertEquals(ImportFormat.YAHOO, detect("Date,Open,High,Low,Close,Adj Close,Volume\n2024-01-02,1,1,1,1,1,1\n"));
        assertEquals(ImportFormat.YAHOO, detect("Date,Open,High,Low,Close,Volume\n2024-01-02,1,1,1,1,1\n"), "Stooq");
        assertEquals(ImportFormat.TRADES, detect("sip_timestamp,price,size\n1704205800000000000,1,100\n"));
        assertEquals(ImportFormat.TRADES, detect("price,qty,time\n1,2,1704205800000\n"), "Binance trades");
        assertEquals(ImportFormat.CSV, detect("ts,open,high,low,close,volume\n2024-01-02T14:30:00Z,1,1,1,1,1\n"));
        assertEquals(ImportFormat.CSV, detect("Date,Open,High,Low,Close,Volume\n2024-01-02 09:30:00,1,1,1,1,1\n"),
            "a date column holding times is intraday, not Yahoo");
        assertEquals(ImportFormat.CSV, detect("1704205800,1,2,0.5,1.5,10\n"), "headerless bars");
    }

    @Test
    void aFirstLineIsAHeaderWhenNoneOfItsFieldsIsANumberOrATimestamp()
    {
        assertTrue(FormatDetector.looksLikeHeader(List.of("ts", "open", "Adj Close", "<VOL>")));
        assertFalse(FormatDetector.looksLikeHeader(List.of("AAPL", "2024-01-02", "abc")));
        assertFalse(FormatDetector.looksLikeHeader(List.of("1704205800", "x")));
        assertTrue(FormatDetector.looksLikeHeader(List.of("NaN", "Infinity")), "words, even those parseDouble takes");
    }

    @Test
    void theDelimiterIsTheMostFrequentOfCommaSemicolonTabAndBar()
    {
        assertEquals(',', FormatDetector.detectDelimiter("a,b,c"));
        assertEquals(';', FormatDetector.detectDelimiter("Date;Open;High;Low;Close;Volume"));
        assertEquals('\t', FormatDetector.detectDelimiter("a\tb\tc,d"));
        assertEquals('|', FormatDetector.detectDelimiter("a|b|c"));
        assertEquals(',', FormatDetector.detectDelimiter("single"));
    }

    @Test
    void onlyCompleteLinesOfTheHeadAreLookedAt()
    {
        assertEquals(List.of("a,b", "1,2"), FormatDetector.firstLines("\r\na,b\r\n\n1,2\r\n3,", false, 5));
        assertEquals(List.of("a,b"), FormatDetector.firstLines("a,b\n1,", false, 5), "the cut line is left out");
        assertEquals(List.of("a,b", "1,"), FormatDetector.firstLines("a,b\n1,", true, 5));
    }
}
