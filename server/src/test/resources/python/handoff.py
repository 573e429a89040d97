"""The hand-off a notebook makes: Arrow from a running barstore server into pyarrow, pandas and polars.

Run by PythonHandOffTest as `handoff.py BASE_URL EXPECTED_JSON_FILE`. For each query it checks that
  (a) pyarrow.ipc.open_stream reads the Arrow response with exactly the CONTRACT schema (names, order, types,
      not-null as the engine declares them),
  (b) every value of every row equals the JSON response to the same query (ts as ISO-8601 against the Arrow
      timestamp to the nanosecond, doubles bit for bit, an unknown vwap null in JSON and NaN in Arrow, trades),
  (c) to_pandas() gives a datetime64[ns, UTC] ts column (and float64, int64, a category symbol),
  (d) polars.read_ipc_stream reads the same bytes with the same values,
and that the values are those the test wrote. Exits 0 when every check holds, 1 naming the first that does not,
3 when a module is missing.
"""
import calendar
import json
import math
import re
import struct
import sys
import time
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


PRICES = ["open", "high", "low", "close", "volume", "vwap"]
BAR_COLUMNS = ["ts"] + PRICES + ["trades"]
# CONTRACT.md, "Arrow schema". The engine declares every field not-null: an unknown vwap is NaN, unknown trades -1.
SINGLE_SCHEMA = pa.schema(
    [pa.field("ts", pa.timestamp("ns", tz="UTC"), nullable=False)]
    + [pa.field(name, pa.float64(), nullable=False) for name in PRICES]
    + [pa.field("trades", pa.int64(), nullable=False)])
MULTI_SCHEMA = pa.schema(
    [pa.field("symbol", pa.dictionary(pa.int32(), pa.string()), nullable=False)] + list(SINGLE_SCHEMA))
ISO = re.compile(r"^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{3}|\d{6}|\d{9}))?Z$")


def get(url):
    with urllib.request.urlopen(url) as response:
        check(response.status == 200, f"{url}: status {response.status}")
        return response.read()


def get_arrow(url):
    """(a) The README's line: pyarrow reads the stream straight off the HTTP response."""
    with urllib.request.urlopen(url) as response:
        check(response.headers.get_content_type() == "application/vnd.apache.arrow.stream",
              f"{url}: Content-Type {response.headers.get('Content-Type')}")
        return pa.ipc.open_stream(response).read_all()


def check_schema(schema, expected, what):
    check(schema.names == expected.names, f"{what}: columns {schema.names}, CONTRACT says {expected.names}")
    for got, want in zip(schema, expected):
        check(got.type == want.type, f"{what}: column {want.name} is {got.type}, CONTRACT says {want.type}")
        check(got.nullable == want.nullable, f"{what}: column {want.name} nullable={got.nullable}")
    check(schema.equals(expected), f"{what}: schema\n{schema}\nis not\n{expected}")


def iso_nanos(text, what):
    """Nanoseconds since the epoch of the server's ISO-8601 text, in exact integer arithmetic."""
    match = ISO.match(text) if isinstance(text, str) else None
    check(match is not None, f"{what}: ts {text!r} is not ISO-8601 UTC as CONTRACT writes it")
    seconds = calendar.timegm(time.strptime(match.group(1), "%Y-%m-%dT%H:%M:%S"))
    return seconds * 1_000_000_000 + int((match.group(2) or "").ljust(9, "0"))


def bits(x):
    return struct.pack("<d", x)


def check_double(got, want, what):
    """The same double bit for bit (so -0.0 and 0.0 differ), any NaN equal to any NaN."""
    check(isinstance(got, float), f"{what}: {got!r} is not a float")
    check((math.isnan(got) and math.isnan(want)) or bits(got) == bits(want), f"{what}: {got!r} != {want!r}")


def columns(table):
    """Python values of the bar columns: ts as integer nanoseconds, the rest as stored."""
    check(all(table.column(name).null_count == 0 for name in table.schema.names), "an Arrow column holds nulls")
    values = {name: table.column(name).to_pylist() for name in PRICES + ["trades"]}
    values["ts"] = table.column("ts").cast(pa.int64()).to_pylist()
    return values


def check_json_equals_arrow(json_bars, arrow, rows, what):
    """(b) Every field of every JSON bar against row rows[i] of the Arrow columns."""
    check(len(json_bars) == len(rows), f"{what}: {len(json_bars)} bars in JSON, {len(rows)} in Arrow")
    for bar, r in zip(json_bars, rows):
        where = f"{what}, row {r}"
        check(list(bar) == BAR_COLUMNS, f"{where}: JSON fields {list(bar)}")
        check(iso_nanos(bar["ts"], where) == arrow["ts"][r], f"{where}: ts {bar['ts']} != {arrow['ts'][r]} ns")
        for name in PRICES:
            if name == "vwap" and bar[name] is None:
                check(math.isnan(arrow[name][r]), f"{where}: vwap null in JSON, {arrow[name][r]} in Arrow")
            else:
                check(not math.isnan(arrow[name][r]), f"{where}: {name} {bar[name]} in JSON, NaN in Arrow")
                check_double(bar[name], arrow[name][r], f"{where}: {name} (JSON number {bar[name]!r})")
        check(type(bar["trades"]) is int and bar["trades"] == arrow["trades"][r],
              f"{where}: trades {bar['trades']!r} != {arrow['trades'][r]}")


def check_pandas(table, what):
    """(c) pandas dtypes, and pandas' values are Arrow's."""
    df = table.to_pandas()
    check(str(df["ts"].dtype) == "datetime64[ns, UTC]", f"{what}: pandas ts dtype is {df['ts'].dtype}")
    check(str(df["trades"].dtype) == "int64", f"{what}: pandas trades dtype is {df['trades'].dtype}")
    for name in PRICES:
        check(str(df[name].dtype) == "float64", f"{what}: pandas {name} dtype is {df[name].dtype}")
    check(list(df.columns) == table.schema.names, f"{what}: pandas columns {list(df.columns)}")
    ts = df["ts"].to_numpy(dtype="datetime64[ns]").view("int64").tolist()
    check(ts == table.column("ts").cast(pa.int64()).to_pylist(), f"{what}: pandas ts values differ from Arrow's")
    for name in PRICES + ["trades"]:
        check(df[name].to_numpy().tobytes() == table.column(name).to_numpy().tobytes(),
              f"{what}: pandas {name} values differ from Arrow's")
    return df


def check_polars(body, table, what):
    """(d) polars reads the same bytes: dtypes, and values bit for bit as pyarrow read them."""
    pf = pl.read_ipc_stream(body)
    check(pf.columns == table.schema.names, f"{what}: polars columns {pf.columns}")
    check(pf.schema["ts"] == pl.Datetime("ns", "UTC"), f"{what}: polars ts dtype is {pf.schema['ts']}")
    check(pf.schema["trades"] == pl.Int64, f"{what}: polars trades dtype is {pf.schema['trades']}")
    for name in PRICES:
        check(pf.schema[name] == pl.Float64, f"{what}: polars {name} dtype is {pf.schema[name]}")
    check(pf.height == table.num_rows, f"{what}: polars has {pf.height} rows, pyarrow {table.num_rows}")
    check(pf["ts"].dt.epoch("ns").to_list() == table.column("ts").cast(pa.int64()).to_pylist(),
          f"{what}: polars ts values differ")
    for name in PRICES + ["trades"]:
        check(pf[name].to_numpy().tobytes() == table.column(name).to_numpy().tobytes(),
              f"{what}: polars {name} values differ")
    return pf


def single(path):
    """One series: the Arrow and the JSON response to the same query, held against each other."""
    arrow_url = f"{base}{path}&format=arrow"
    table = get_arrow(arrow_url)
    check_schema(table.schema, SINGLE_SCHEMA, path)
    doc = json.loads(get(f"{base}{path}&format=json"))
    arrow = columns(table)
    check_json_equals_arrow(doc["bars"], arrow, range(table.num_rows), path)
    df = check_pandas(table, path)
    check_polars(get(arrow_url), table, path)
    return doc, table, arrow, df


base = sys.argv[1]
with open(sys.argv[2]) as f:
    expected = json.load(f)

# One series, whole and a window of it, as Arrow and as JSON.
doc, table, arrow, df = single("/v1/bars/AAPL?timeframe=5m")
check((doc["symbol"], doc["timeframe"], doc["source"]) == ("AAPL", "5m", "default"), f"JSON header {doc}")
check(table.num_rows == expected["rows"], f"{table.num_rows} rows, expected {expected['rows']}")
for bar in expected["bars"]:
    i = bar["i"]
    check(arrow["ts"][i] == iso_nanos(bar["ts"], "expected"), f"row {i} ts {df['ts'][i]} != {bar['ts']}")
    check(df["ts"][i] == pd.Timestamp(bar["ts"]), f"pandas row {i} ts {df['ts'][i]} != {bar['ts']}")
    for name in ["close", "volume"]:
        check_double(arrow[name][i], float(bar[name]), f"row {i} {name}")
    if bar["vwap"] is None:
        check(math.isnan(arrow["vwap"][i]), f"row {i} vwap should be unknown (NaN), is {arrow['vwap'][i]}")
    else:
        check_double(arrow["vwap"][i], float(bar["vwap"]), f"row {i} vwap")
    check(arrow["trades"][i] == bar["trades"], f"row {i} trades {arrow['trades'][i]} != {bar['trades']}")
window, window_table, _, _ = single("/v1/bars/AAPL?timeframe=5m&start=2025-01-03T10:00:00Z&end=2025-01-05")
check(window_table.num_rows == 456, f"window: {window_table.num_rows} rows, expected 456 (2025-01-03T10:00 to 01-05)")

# Awkward doubles: what the test wrote = Arrow = JSON, so the JSON writer's numbers are exact.
_, odd_table, odd, _ = single("/v1/bars/ODD?timeframe=5m")
check(odd_table.num_rows == len(expected["odd"]), f"ODD: {odd_table.num_rows} rows, expected {len(expected['odd'])}")
for r, row in enumerate(expected["odd"]):
    check(odd["ts"][r] == iso_nanos(row[0], "expected"), f"ODD row {r} ts")
    for c, name in enumerate(PRICES):
        want = math.nan if row[1 + c] is None else float(row[1 + c])
        check_double(odd[name][r], want, f"ODD row {r} {name} as written")
    check(odd["trades"][r] == row[7], f"ODD row {r} trades {odd['trades'][r]} != {row[7]}")

# Several series: the symbol column is dictionary-encoded (a category in pandas and polars), series in the order asked.
multi_path = "/v1/bars?symbols=AAPL,MSFT&timeframe=5m"
multi_body = get(f"{base}{multi_path}&format=arrow")
mtable = get_arrow(f"{base}{multi_path}&format=arrow")
check_schema(mtable.schema, MULTI_SCHEMA, multi_path)
mdoc = json.loads(get(f"{base}{multi_path}&format=json"))
check(list(mdoc["bars"]) == ["AAPL", "MSFT"], f"JSON series {list(mdoc['bars'])}")
symbols = mtable.column("symbol").to_pylist()
check(symbols == sorted(symbols, key=["AAPL", "MSFT"].index), "Arrow series are not one after the other as asked")
marrow = columns(mtable)
for symbol, json_bars in mdoc["bars"].items():
    rows = [r for r, s in enumerate(symbols) if s == symbol]
    check_json_equals_arrow(json_bars, marrow, rows, f"{multi_path} {symbol}")
mdf = check_pandas(mtable, multi_path)
check(str(mdf["symbol"].dtype) == "category", f"pandas symbol dtype is {mdf['symbol'].dtype}")
counts = mdf["symbol"].value_counts().to_dict()
check(counts == expected["multi"], f"bars per symbol {counts} != {expected['multi']}")
pm = check_polars(multi_body, mtable, multi_path)
check(pm.schema["symbol"] == pl.Categorical, f"polars symbol dtype is {pm.schema['symbol']}")
check(pm["symbol"].cast(pl.String).to_list() == symbols, "polars symbols differ from pyarrow's")
check(pm.group_by("symbol").len().sort("symbol").to_dicts() ==
      [{"symbol": s, "len": n} for s, n in sorted(expected["multi"].items())], "polars bars per symbol")

# SQL (POST /v1/sql, run by the sandboxed worker): the same bars as the bar API, Arrow with timestamp[ns, UTC].
sql = ("SELECT symbol, ts, open, high, low, close, volume, vwap, trades FROM bars "
       "WHERE symbol = 'AAPL' AND timeframe = '5m' ORDER BY ts")
request = urllib.request.Request(f"{base}/v1/sql?format=arrow", data=json.dumps({"sql": sql}).encode(),
                                 headers={"Content-Type": "application/json"})
with urllib.request.urlopen(request) as response:
    check(response.status == 200, f"/v1/sql: status {response.status}")
    stable = pa.ipc.open_stream(response).read_all()
check(stable.schema.field("ts").type == pa.timestamp("ns", tz="UTC"), f"/v1/sql ts is {stable.schema.field('ts').type}")
check(stable.num_rows == table.num_rows, f"/v1/sql: {stable.num_rows} rows, the bar API {table.num_rows}")
sarrow = columns(stable.drop_columns(["symbol"]))
for name in ["ts"] + PRICES + ["trades"]:
    same = all(a == b or (isinstance(a, float) and math.isnan(a) and math.isnan(b))
               for a, b in zip(sarrow[name], arrow[name]))
    check(same, f"/v1/sql: column {name} differs from the bar API's")
sdf = stable.to_pandas()
check(str(sdf["ts"].dtype) == "datetime64[ns, UTC]", f"/v1/sql: pandas ts dtype is {sdf['ts'].dtype}")

compared = table.num_rows + window_table.num_rows + odd_table.num_rows + mtable.num_rows
print(f"ok: pandas {pd.__version__}, polars {pl.__version__}, pyarrow {pa.__version__}: schema exact, "
      f"{compared} rows of 4 queries equal in Arrow and JSON ({len(df)} of AAPL, {len(odd['ts'])} awkward doubles, "
      f"{len(mdf)} of {len(counts)} symbols), pandas datetime64[ns, UTC], polars read_ipc_stream; "
      f"/v1/sql gives the same {stable.num_rows} bars as Arrow timestamp[ns, UTC]")
