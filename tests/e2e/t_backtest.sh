#!/bin/sh
# End-to-end tests of `carecast backtest ssda903`: fit up to a past base
# date, project, compare with the returns' later stock; outputs, determinism,
# privacy and errors. Also fit -> run -> backtest on the D2I sample.
set -u
. tests/e2e/lib.sh

F=$DATA/ssda903/fit
BT="$C backtest ssda903 $F/d2i --base-date 2020-03-31 --horizon-years 1 --window-years 1 --reps 200 --seed 4"

t "backtest the D2I sample" 0 "" -- $BT --threads 1 --out "$tmp/b1"
cp "$tmp/out" "$tmp/b1.out"
cp "$tmp/err" "$tmp/b1.err"
for f in backtest.json model.json; do
	[ -s "$tmp/b1/$f" ] && ok "backtest writes $f" || notok "backtest writes $f"
done
has "table header" "$tmp/b1.out" '^series +date +actual +p5 +p50 +p95 +APE% +50% +90% +persist +APE% +trend +APE%$'
has "table row for the total" "$tmp/b1.out" '^total +2021-03-31 +119 '
has "score line" "$tmp/b1.out" '^total: 1 points; APE% mean / median: carecast [0-9.]+ / [0-9.]+, persistence'
has "json: source" "$tmp/b1/backtest.json" '"source":[[:space:]]*"ssda903"'
has "json: actual" "$tmp/b1/backtest.json" '"actual":[[:space:]]*119,'
has "json: coverage" "$tmp/b1/backtest.json" '"coverage_90":[[:space:]]*[01]'
has "json: yardsticks" "$tmp/b1/backtest.json" '"persistence":[[:space:]]*\{'
has "json: input hashes" "$tmp/b1/backtest.json" '"sha256":[[:space:]]*"[0-9a-f]{64}"'
# The actual at 31 March 2021 is the stock the fit itself reports for that date.
t "fit at 2021-03-31" 0 "" -- $C fit ssda903 $F/d2i --base-date 2021-03-31 --window-years 1 -o "$tmp/f21.json" -q
has "the actual is the fitted stock at that date" "$tmp/err" ' 119 children at the base date'
t "the backtest's model validates" 0 "" -- $C validate "$tmp/b1/model.json"
t "and runs" 0 "" -- $C run "$tmp/b1/model.json" --reps 20 --years 1 --out "$tmp/b1run"
t "same seed, 2 threads" 0 "" -- $BT --threads 2 --out "$tmp/b2"
cmp -s "$tmp/b1/backtest.json" "$tmp/b2/backtest.json" && ok "backtest.json identical on 1 and 2 threads" ||
	notok "backtest.json identical on 1 and 2 threads"

# ---- privacy -------------------------------------------------------------------------
: >"$tmp/secrets"
for f in $F/d2i/*.csv; do
	awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
	{ for (k in col) if (k == "CHILD" || k == "UPN" || k == "HOME_POST" || k == "PL_POST" || k == "DOB") if ($col[k] != "") print $col[k] }' "$f" >>"$tmp/secrets"
done
sed -n 's|^\([0-9][0-9]\)/\([0-9][0-9]\)/\([0-9]\{4\}\)$|\3-\2-\1|p' "$tmp/secrets" >>"$tmp/secrets"
# Dates the backtest writes itself: base date, window start, the 31 Marches.
printf '%s\n' 2018-03-31 2019-03-31 2019-04-01 2020-03-31 2021-03-31 2022-03-31 >"$tmp/allowed"
sort -u "$tmp/secrets" | grep -vxF -f "$tmp/allowed" >"$tmp/secrets.u"
[ "$(wc -l <"$tmp/secrets.u")" -gt 500 ] && ok "privacy: identifiers and dates to look for" ||
	notok "privacy: too few identifiers collected"
for out in "$tmp/b1/backtest.json" "$tmp/b1/model.json" "$tmp/b1.out" "$tmp/b1.err"; do
	name=$(basename "$out")
	grep -wF -f "$tmp/secrets.u" "$out" >"$tmp/leak" && notok "privacy: $name holds an identifier or date of birth" "$(head -n 3 "$tmp/leak")" ||
		ok "privacy: $name holds no identifier or date of birth"
done

# ---- errors --------------------------------------------------------------------------------
t "no 31 March after the base date in the data" 1 "expected an observed stock after the base date 2022-03-31" -- \
	$C backtest ssda903 $F/d2i --base-date 2022-03-31 --horizon-years 1 --window-years 1 --reps 10 --out "$tmp/b3"
[ -e "$tmp/b3" ] && notok "nothing written after an error" || ok "nothing written after an error"
t "window before the data" 1 "starts before the data" -- \
	$C backtest ssda903 $F/d2i --base-date 2020-03-31 --horizon-years 1 --window-years 5 --reps 10 --out "$tmp/b4"
t "missing --horizon-years" 2 "expected --horizon-years" -- $C backtest ssda903 $F/d2i --base-date 2020-03-31 --out "$tmp/b5"
t "bad --horizon-years" 2 "--horizon-years: expected 1 to 50" -- \
	$C backtest ssda903 $F/d2i --base-date 2020-03-31 --horizon-years 0 --out "$tmp/b5"
t "base date not a month end" 2 "--base-date: expected the last day of a month" -- \
	$C backtest ssda903 $F/d2i --base-date 2020-03-15 --horizon-years 1 --out "$tmp/b5"
t "unknown kind of data" 2 "expected 'ssda903' or 'dfe', found 'csv'" -- $C backtest csv
t "backtest --help" 0 "" -- $C backtest ssda903 --help
has "help names the outputs" "$tmp/out" 'backtest.json'

# ---- fit -> run -> backtest on the whole D2I sample (when the shared data are here) --------
D2I=../shared/data/ssda903/d2i_cs_demand_model_combined
if [ -d "$D2I" ]; then
	t "fit the D2I sample" 0 "" -- $C fit ssda903 "$D2I" --base-date 2020-03-31 --window-years 2 -o "$tmp/d2i.json" -q
	t "run it" 0 "" -- $C run "$tmp/d2i.json" --reps 100 --years 2 --out "$tmp/d2irun"
	t "backtest it from 2019" 0 "" -- $C backtest ssda903 "$D2I" --base-date 2019-03-31 --window-years 2 \
		--horizon-years 3 --reps 200 --out "$tmp/d2ibt"
	has "three years compared" "$tmp/out" '^total +2022-03-31 '
else
	ok "D2I sample not present here (../shared/data): skipped"
fi

done_e2e
