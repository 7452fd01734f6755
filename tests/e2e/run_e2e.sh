#!/bin/sh
# End-to-end tests: run the real carecast binary on files in tests/data and
# check exit codes, messages and outputs. Prints TAP-like "ok"/"not ok" lines
# and "# e2e done" at the end. Every command runs under a time limit.
set -u
. tests/e2e/lib.sh

# ---- command line -----------------------------------------------------------
t "help exits 0" 0 "" -- $C --help
has "help lists run" "$tmp/out" "run MODEL"
t "version exits 0" 0 "" -- $C --version
has "version names GSL and cJSON" "$tmp/out" "GSL .*"
has "version names cJSON" "$tmp/out" "cJSON "
t "no command is a usage error" 2 "" -- $C
t "unknown command is a usage error" 2 "unknown command 'frobnicate'" -- $C frobnicate
t "run without --out" 2 "expected --out DIR" -- $C run $DATA/tiny.json
t "run without model" 2 "expected a model file" -- $C run --out "$tmp/x"
t "run --reps not a number" 2 "--reps: expected a whole number.*found 'abc'" -- \
	$C run $DATA/tiny.json --out "$tmp/x" --reps abc
t "run --reps 0" 2 "--reps: expected" -- $C run $DATA/tiny.json --out "$tmp/x" --reps 0
t "run --seed negative" 2 "--seed: expected a whole number from 0 to 4294967295, found '-1'" -- \
	$C run $DATA/tiny.json --out "$tmp/x" --seed -1
t "run --seed too large" 2 "--seed: expected" -- \
	$C run $DATA/tiny.json --out "$tmp/x" --seed 4294967296
t "run --years 1e3" 2 "--years: expected" -- $C run $DATA/tiny.json --out "$tmp/x" --years 1e3
t "run --threads 0" 2 "--threads: expected" -- $C run $DATA/tiny.json --out "$tmp/x" --threads 0
t "run unknown option" 2 "unknown option" -- $C run $DATA/tiny.json --out "$tmp/x" --frob
t "run option missing value" 2 "needs a value" -- $C run $DATA/tiny.json --out
t "run two models" 2 "expected one model file" -- $C run $DATA/tiny.json $DATA/tiny.json --out "$tmp/x"
t "run --help" 0 "" -- $C run --help
has "run --help documents exit codes" "$tmp/out" "Exit status"
[ -e "$tmp/x" ] && notok "usage errors write nothing" "$tmp/x exists" || ok "usage errors write nothing"

# ---- inputs that are not model files ------------------------------------------
t "missing model file" 1 "$DATA/nope.json: cannot open: No such file" -- \
	$C run $DATA/nope.json --out "$tmp/x"
t "directory as model" 1 "$DATA: expected a file, found a directory" -- \
	$C run $DATA --out "$tmp/x"
mkfifo "$tmp/fifo"
t "FIFO as model does not hang" 1 "expected a regular file" -- $C validate "$tmp/fifo"
: >"$tmp/empty.json"
t "empty model file" 1 "empty.json: file is empty; expected a JSON object" -- \
	$C validate "$tmp/empty.json"
printf '{"base_date": "2025-03-31",\n  "entries": {\n' >"$tmp/trunc.json"
t "truncated JSON names line and column" 1 "trunc.json:3:1: malformed JSON: expected a key \(a name in double quotes\), found the end of the file" -- \
	$C validate "$tmp/trunc.json"
printf '{"a": 1} x' >"$tmp/junk.json"
t "trailing junk" 1 "junk.json:1:10: malformed JSON: expected the end of the file after the JSON value, found 'x'" -- \
	$C validate "$tmp/junk.json"
printf '{"a":\0 1}' >"$tmp/nul.json"
t "NUL byte" 1 "nul.json:1:6: expected JSON text, found a NUL byte" -- $C validate "$tmp/nul.json"
printf '{"name": "\377"}' >"$tmp/utf8.json"
t "invalid UTF-8" 1 "utf8.json:1:11: expected UTF-8 text, found the invalid byte 0xFF" -- \
	$C validate "$tmp/utf8.json"
head -c 3000 /dev/urandom >"$tmp/garbage.json"
t "binary garbage" 1 "garbage.json" -- $C validate "$tmp/garbage.json"

# ---- valid models -------------------------------------------------------------
t "validate tiny model" 0 "" -- $C validate $DATA/tiny.json
has "validate prints a summary" "$tmp/out" "tiny.json: valid model: 5 age bands, 3 categories"
# The same model with a byte-order mark and CRLF line endings.
printf '\357\273\277' >"$tmp/bom.json"
sed 's/$/\r/' $DATA/tiny.json >>"$tmp/bom.json"
t "BOM and CRLF are accepted" 0 "" -- $C validate "$tmp/bom.json"
sed 's/"rate_per_year": 0.6}/"rate_per_year": -0.6}/' "$tmp/bom.json" >"$tmp/bomneg.json"
t "CRLF file reports the right column" 1 "bomneg.json:24:[0-9]+: expected a number from 0 to 1000 for \"rate_per_year\", found -0.6" -- \
	$C validate "$tmp/bomneg.json"

# ---- run -----------------------------------------------------------------------
t "run tiny model" 0 "" -- $C run $DATA/tiny.json --reps 200 --seed 7 --threads 1 --out "$tmp/r1"
for f in summary.json monthly.csv financial_years.csv; do
	[ -s "$tmp/r1/$f" ] && ok "run writes $f" || notok "run writes $f"
done
ls "$tmp/r1" | grep -q tmp && notok "no temporary files left" || ok "no temporary files left"
has "summary has seed" "$tmp/r1/summary.json" '"seed":[[:space:]]*7,'
has "summary has replications" "$tmp/r1/summary.json" '"replications":[[:space:]]*200,'
has "summary has input hash" "$tmp/r1/summary.json" '"sha256":[[:space:]]*"[0-9a-f]{64}"'
has "summary has baseline" "$tmp/r1/summary.json" '"name":[[:space:]]*"baseline"'
has "summary has fy" "$tmp/r1/summary.json" '"fy":[[:space:]]*"2025-26"'
has "monthly.csv header" "$tmp/r1/monthly.csv" '^date,series,statistic,value,scenario$'
has "monthly.csv rows" "$tmp/r1/monthly.csv" '^2025-04-30,cla_total,p95,[0-9.]+,baseline$'
has "financial_years.csv header" "$tmp/r1/financial_years.csv" '^fy,series,statistic,value,scenario$'
has "financial_years.csv age18" "$tmp/r1/financial_years.csv" '^2025-26,exits/by_reason/age18,mean,'
t "same seed again, 2 threads" 0 "" -- $C run $DATA/tiny.json --reps 200 --seed 7 --threads 2 --out "$tmp/r2"
for f in summary.json monthly.csv financial_years.csv; do
	cmp -s "$tmp/r1/$f" "$tmp/r2/$f" && ok "identical $f with 1 and 2 threads" ||
		notok "identical $f with 1 and 2 threads"
done
t "other seed" 0 "" -- $C run $DATA/tiny.json --reps 200 --seed 8 --out "$tmp/r3"
cmp -s "$tmp/r1/monthly.csv" "$tmp/r3/monthly.csv" && notok "different seeds differ" ||
	ok "different seeds differ"
t "expected mode" 0 "" -- $C run $DATA/tiny.json --expected --out "$tmp/r4"
has "expected mode is labelled" "$tmp/r4/summary.json" '"mode":[[:space:]]*"expected"'
has "expected mode has means only" "$tmp/r4/monthly.csv" '^2025-04-30,cla_total,mean,'
grep -q ',p95,' "$tmp/r4/monthly.csv" && notok "expected mode prints no quantiles" ||
	ok "expected mode prints no quantiles"

# ---- capacity and costs ------------------------------------------------------------
t "run with capacity and costs" 0 "" -- $C run $DATA/capacity.json --reps 100 --seed 5 --threads 1 --out "$tmp/c1"
for key in '"spend":' '"gap":' '"capacity":' '"households":' '"high_cost_placements":' \
	'"budget":' '"p_overspend":' '"external":' '"framework":' '"spot":'; do
	has "summary has $key" "$tmp/c1/summary.json" "$key"
done
has "CSV has spend" "$tmp/c1/financial_years.csv" '^2025-26,spend/total,p95,[0-9.]+,baseline$'
has "CSV has gap" "$tmp/c1/financial_years.csv" '^2025-26,gap/fostering,mean,'
has "CSV has overspend probability" "$tmp/c1/financial_years.csv" '^2025-26,budget/p_overspend,probability,0?\.?[0-9]+,baseline$'
has "CSV has monthly free places" "$tmp/c1/monthly.csv" '^2025-04-30,capacity/residential/free,p50,'
t "capacity run on 2 threads" 0 "" -- $C run $DATA/capacity.json --reps 100 --seed 5 --threads 2 --out "$tmp/c2"
cmp -s "$tmp/c1/summary.json" "$tmp/c2/summary.json" && ok "capacity run identical on 1 and 2 threads" ||
	notok "capacity run identical on 1 and 2 threads"
t "capacity expected mode" 0 "" -- $C run $DATA/capacity.json --expected --out "$tmp/c3"
has "expected mode has spend" "$tmp/c3/summary.json" '"spend":'
grep -q 'p_overspend' "$tmp/c3/summary.json" && notok "expected mode has no overspend probability" ||
	ok "expected mode has no overspend probability"
sed 's/"households": 14,/"households": 2,/' $DATA/capacity.json >"$tmp/overfull.json"
t "starting population over capacity" 1 "overfull.json:[0-9]+:[0-9]+: expected at least 20 usable in-house \"fostering\" places at the base date" -- \
	$C validate "$tmp/overfull.json"

# ---- outputs that cannot be written ---------------------------------------------
: >"$tmp/afile"
t "output under a file" 1 "cannot create directory|expected a directory" -- \
	$C run $DATA/tiny.json --reps 10 --out "$tmp/afile/sub"
t "output is a file" 1 "expected a directory, found a file" -- \
	$C run $DATA/tiny.json --reps 10 --out "$tmp/afile"
t "bad model writes nothing" 1 "problems? found; nothing written" -- \
	$C run "$tmp/junk.json" --out "$tmp/r5"
[ -e "$tmp/r5" ] && notok "bad model leaves no output directory" || ok "bad model leaves no output directory"

# ---- charts and the HTML report (plot, report, run --plots) -------------------------
# Each SVG is checked with xmllint when it is installed (Debian libxml2-utils),
# and always for its own title and description; each PNG's IHDR for its size.
xml_ok() {
	if command -v xmllint >/dev/null 2>&1; then xmllint --noout "$1" 2>/dev/null; else grep -q '</svg>\|</html>' "$1"; fi
}
png_is() { # FILE WIDTH_HEX HEIGHT_HEX (8 hex digits each)
	[ "$(od -An -tx1 -j16 -N8 "$1" | tr -d ' \n')" = "$2$3" ]
}
t "plot --help" 0 "" -- $C plot --help
has "plot --help names gnuplot" "$tmp/out" "--gnuplot PATH"
t "report --help" 0 "" -- $C report --help
has "help lists plot and report" "$tmp/out" "Exit status"
t "plot without a directory" 2 "expected a run directory" -- $C plot
t "plot unknown option" 2 "unknown option" -- $C plot "$tmp/c1" --frob
t "plot without summary.json" 1 "summary.json: cannot open" -- $C plot "$tmp/afile-dir-missing"
t "run for charts" 0 "" -- $C run $DATA/capacity.json --reps 50 --seed 3 --threads 1 --out "$tmp/p1" -q
t "plot a run" 0 "note: only the baseline in this run: scenario charts skipped" -- $C plot "$tmp/p1"
for ch in cla placement-mix sufficiency-fostering sufficiency-residential sufficiency-supported \
	spend entries-exits; do
	ok_files=1
	for ext in svg png csv txt; do [ -s "$tmp/p1/charts/$ch.$ext" ] || ok_files=0; done
	[ $ok_files = 1 ] && ok "chart $ch: svg, png, csv, txt" || notok "chart $ch: svg, png, csv, txt"
	xml_ok "$tmp/p1/charts/$ch.svg" && ok "chart $ch: SVG is well-formed" ||
		notok "chart $ch: SVG is well-formed"
	has "chart $ch: SVG has its own title" "$tmp/p1/charts/$ch.svg" "<title id=\"$ch-title\">"
	has "chart $ch: SVG has its own description" "$tmp/p1/charts/$ch.svg" "<desc id=\"$ch-desc\">"
	png_is "$tmp/p1/charts/$ch.png" 000007d0 0000055f && ok "chart $ch: PNG is 2000x1375" ||
		notok "chart $ch: PNG is 2000x1375"
done
grep -q 'Produced by GNUPLOT' "$tmp/p1/charts/"*.svg && notok "no gnuplot default descriptions" ||
	ok "no gnuplot default descriptions"
ls -A "$tmp/p1/charts" | grep -q '^\.' && notok "charts leave no temporary files" ||
	ok "charts leave no temporary files"
# The median at 31 March 2030, rounded as the alt text rounds it (half up).
med=$(sed -n 's/^2029-30,cla_31_march,p50,\([0-9.]*\).*/\1/p' "$tmp/p1/financial_years.csv" |
	awk '{ printf "%d", $1 + 0.5 }')
has "alt text has the median at 31 March 2030 ($med)" "$tmp/p1/charts/cla.txt" "median forecast is $med at 31 March 2030"
has "cla.csv is the data behind the chart" "$tmp/p1/charts/cla.csv" '^date,observed,median,p5,p25,p75,p95$'
t "plot with a missing gnuplot" 1 "gnuplot is needed to draw charts but '/nonexistent/gnuplot' was not found" -- \
	$C plot "$tmp/p1" --gnuplot /nonexistent/gnuplot
t "CARECAST_GNUPLOT names gnuplot" 1 "'/nonexistent/gp2' was not found" -- \
	env CARECAST_GNUPLOT=/nonexistent/gp2 $C plot "$tmp/p1"
t "a program that is not gnuplot" 1 "is not a usable gnuplot" -- $C plot "$tmp/p1" --gnuplot false
t "plot with missing templates" 1 "cannot read the chart template" -- \
	$C plot "$tmp/p1" --templates "$tmp" -o "$tmp/p1x"
t "report" 0 "wrote $tmp/p1/report.html" -- $C report "$tmp/p1"
xml_ok "$tmp/p1/report.html" && ok "report is well-formed" || notok "report is well-formed"
[ "$(grep -c '<svg role="img"' "$tmp/p1/report.html")" -eq 7 ] && ok "report inlines 7 charts" ||
	notok "report inlines 7 charts"
[ "$(grep -c '<table>' "$tmp/p1/report.html")" -ge 7 ] && ok "report has the data tables" ||
	notok "report has the data tables"
grep -q '<script\|src="\|href="http' "$tmp/p1/report.html" && notok "report is self-contained" ||
	ok "report is self-contained"
has "report shows the model's rates" "$tmp/p1/report.html" "unchanged since the run"
has "report shows the input hash" "$tmp/p1/report.html" "$(sha256sum $DATA/capacity.json | cut -c1-64)"
t "run --plots" 0 "7 charts" -- $C run $DATA/capacity.json --reps 20 --out "$tmp/p2" --plots
[ -s "$tmp/p2/charts/spend.svg" ] && ok "run --plots draws the charts" || notok "run --plots draws the charts"
t "run --plots without gnuplot" 1 "nothing written" -- \
	$C run $DATA/capacity.json --reps 20 --out "$tmp/p3" --plots --gnuplot /nonexistent/gnuplot
[ -e "$tmp/p3" ] && notok "run --plots without gnuplot writes nothing" ||
	ok "run --plots without gnuplot writes nothing"
t "expected-mode charts" 0 "" -- $C run $DATA/capacity.json --expected --out "$tmp/p4" --plots -q
has "expected mode: means only" "$tmp/p4/charts/cla.csv" '^date,observed,mean$'
t "charts of a tiny model without capacity or costs" 0 "no capacity in the model" -- \
	sh -c "$C run $DATA/tiny.json --reps 20 --out '$tmp/p5' -q && $C plot '$tmp/p5'"
[ -e "$tmp/p5/charts/spend.svg" ] && notok "no spend chart without costs" || ok "no spend chart without costs"
mkdir -p "$tmp/p6" && cp $DATA/chart_scenarios.json "$tmp/p6/summary.json"
t "scenario charts from a hand-made summary" 0 "" -- $C report "$tmp/p6" -q
for ch in scenarios scenario-difference; do
	[ -s "$tmp/p6/charts/$ch.svg" ] && ok "fixture: $ch chart" || notok "fixture: $ch chart"
done
has "fixture: report escapes names" "$tmp/p6/report.html" 'Step-down &lt;to&gt; fostering &amp; more'
t "scenario charts from a real run" 0 "" -- $C run models/example.json --reps 20 --seed 2 \
	-S scenarios/foster-households-plus-10.json -S scenarios/step-down-residential.json \
	--out "$tmp/p7" --plots -q
has "real scenarios: stock chart names the scenario" "$tmp/p7/charts/scenarios.csv" 'Step-down from residential to fostering median'
[ -s "$tmp/p7/charts/scenario-difference.png" ] && ok "real scenarios: difference chart" ||
	notok "real scenarios: difference chart"

done_e2e
