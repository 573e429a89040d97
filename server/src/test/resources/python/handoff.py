"""The hand-off a notebook makes: Arrow from a running barstore server into pandas and polars.

Run by PythonHandOffTest with the server's base URL and what the test wrote, as JSON. Exits 0 when every check
holds, 1 naming the first that does not, 3 when a module is missing.
"""
import json
import sys
import urllib.request

try:
    import pandas as pd
    import polars as pl
    import pyarrow as pa
except ImportError as e:
    print(f"missing Python module {e.name}: pip install pyarrow pandas polars", file=sys.stderr)
    sys.exit(3)


def check(ok, what):
    if not ok:
        print(f"FAILED: {what}", file=sys.stderr)
        sys.exit(1)


base, expected = sys.argv[1], json.loads(sys.argv[2])

# One series, the README's line: pyarrow reads the stream straight off the HTTP response.
url = f"{base}/v1/bars/AAPL?timeframe=5m&format=arrow"
df = pa.ipc.open_stream(urllib.request.urlopen(url)).read_all().to_pandas()
check(str(df["ts"].dtype) == "datetime64[ns, UTC]", f"pandas ts dtype is {df['ts'].dtype}")
check(str(df["trades"].dtype) == "int64", f"pandas trades dtype is {df['trades'].dtype}")
check(str(df["close"].dtype) == "float64", f"pandas close dtype is {df['close'].dtype}")
check(list(df.columns) == ["ts", "open", "high", "low", "close", "volume", "vwap", "trades"], f"columns {list(df.columns)}")
check(len(df) == expected["rows"], f"{len(df)} rows, expected {expected['rows']}")
for bar in expected["bars"]:
    row = df.iloc[bar["i"]]
    check(row["ts"] == pd.Timestamp(bar["ts"]), f"row {bar['i']} ts {row['ts']} != {bar['ts']}")
    check(row["close"] == bar["close"], f"row {bar['i']} close {row['close']} != {bar['close']}")
    check(row["volume"] == bar["volume"], f"row {bar['i']} volume {row['volume']} != {bar['volume']}")
    if bar["vwap"] is None:
        check(pd.isna(row["vwap"]), f"row {bar['i']} vwap should be unknown (NaN), is {row['vwap']}")
    else:
        check(row["vwap"] == bar["vwap"], f"row {bar['i']} vwap {row['vwap']} != {bar['vwap']}")
    check(row["trades"] == bar["trades"], f"row {bar['i']} trades {row['trades']} != {bar['trades']}")

# The same stream in polars.
pf = pl.read_ipc_stream(urllib.request.urlopen(url).read())
check(pf.schema["ts"] == pl.Datetime("ns", "UTC"), f"polars ts dtype is {pf.schema['ts']}")
check(pf.schema["trades"] == pl.Int64, f"polars trades dtype is {pf.schema['trades']}")
check(pf.height == expected["rows"], f"polars: {pf.height} rows")
check(pf["close"][expected["bars"][-1]["i"]] == expected["bars"][-1]["close"], "polars: last close")

# Several series: the symbol column is dictionary-encoded, a category in pandas and polars.
multi_url = f"{base}/v1/bars?symbols=AAPL,MSFT&timeframe=5m&format=arrow"
table = pa.ipc.open_stream(urllib.request.urlopen(multi_url)).read_all()
check(table.schema.field("symbol").type == pa.dictionary(pa.int32(), pa.string()),
      f"symbol type is {table.schema.field('symbol').type}")
check(table.schema.names[0] == "symbol", f"symbol is not the first column: {table.schema.names}")
mdf = table.to_pandas()
check(str(mdf["symbol"].dtype) == "category", f"pandas symbol dtype is {mdf['symbol'].dtype}")
counts = mdf["symbol"].value_counts().to_dict()
check(counts == expected["multi"], f"bars per symbol {counts} != {expected['multi']}")
check(str(mdf["ts"].dtype) == "datetime64[ns, UTC]", f"multi ts dtype is {mdf['ts'].dtype}")
pm = pl.from_arrow(table)
check(pm.schema["symbol"] == pl.Categorical, f"polars symbol dtype is {pm.schema['symbol']}")
check(pm.group_by("symbol").len().sort("symbol").to_dicts() ==
      [{"symbol": s, "len": n} for s, n in sorted(expected["multi"].items())], "polars bars per symbol")

print(f"ok: pandas {pd.__version__}, polars {pl.__version__}, pyarrow {pa.__version__}: "
      f"{len(df)} bars of AAPL, {len(mdf)} bars of {len(counts)} symbols")
