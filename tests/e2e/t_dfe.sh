#!/bin/sh
# End-to-end tests of `carecast fit dfe` and `carecast backtest dfe` on small
# copies of DfE's published tables (tests/data/dfe): fits for authorities,
# England and a region, pooling, --each, suppressed cells, missing years,
# unknown names, other spellings of the count column, BOM and CRLF,
# backtests and their JSON, determinism, atomic outputs, and hostile tables
# (each with its exit code and a message naming file, line and column).
set -u
. tests/e2e/lib.sh

D=$DATA/dfe
h=$tmp/h
mkdir -p "$h"
FIT="$C fit dfe --data $D --base-year 2023"

# copy NAME: a fresh copy of the tables in $h/NAME.
copy() {
	rm -rf "$h/$1"
	mkdir -p "$h/$1"
	cp "$D"/*.csv "$h/$1/"
}
# starting N FILE: the model is valid and its starting population holds N
# children (as `carecast validate` counts them).
starting() {
	if $C validate "$2" 2>&1 | grep -q " $1 children at "; then
		ok "$(basename "$2"): $1 children at the start"
	else
		notok "$(basename "$2"): $1 children at the start" "$($C validate "$2" 2>&1 | head -n 2)"
	fi
}
# The count in the published stock table (Age group total) of AREA in YEAR.
published() {
	awk -F, -v a="$1" -v y="$2" '$1 == y && $7 == a && $8 == "Age group" && $9 == "Total" { print $10 }' "$D/cla_31_march.csv"
}

# ---- fits on the three authorities and England ----------------------------------------
for la in Leicester Warwickshire Wiltshire; do
	slug=$(echo "$la" | tr 'A-Z' 'a-z')
	t "fit $la" 0 "$la: $(published "$la" 2023) children looked after at 31 March 2023" -- \
		$FIT --la "$la" -o "$h/$slug.json"
	starting "$(published "$la" 2023)" "$h/$slug.json"
	t "$la's model validates" 0 "" -- $C validate "$h/$slug.json"
	has "$la: base date" "$h/$slug.json" '"base_date": "2023-03-31"'
	has "$la: ceases at 18 left to ageing" "$h/$slug.json" '"ceased_18_and_over_per_year": [0-9.]+'
done
t "fit England" 0 "England: 83750 children looked after at 31 March 2023" -- $FIT --la England -o "$h/england.json"
starting 83750 "$h/england.json"
t "England's model runs" 0 "" -- $C run "$h/england.json" --reps 4 --years 1 --out "$h/england-run" -q
t "National is England" 0 "England: 83750 children" -- $FIT --la National -o "$h/national.json"
t "name matching ignores case and punctuation" 0 "Leicester: 628 children" -- $FIT --la " leicester." -o "$h/lc.json"
t "a run of the Leicester model" 0 "" -- $C run "$h/leicester.json" --reps 20 --years 2 --out "$h/lrun" -q
has "the run writes its summary" "$h/lrun/summary.json" '"replications"'

# ---- regions, pooling and --each ------------------------------------------------------
t "fit a region from its own rows" 0 "West Midlands: 11820 children looked after at 31 March 2023" -- \
	$FIT --region "West Midlands" -o "$h/wm.json"
starting 11820 "$h/wm.json"
t "an authority is not a region" 1 'no region called "Leicester".*\(a local authority: use --la\)' -- \
	$FIT --region Leicester -o "$h/x.json"
t "pool two authorities" 0 "Leicester \\+ Wiltshire: 1083 children looked after at 31 March 2023" -- \
	$FIT --la Leicester --la Wiltshire -o "$h/pool.json"
starting 1083 "$h/pool.json"
t "pool a region with an authority outside it" 0 "West Midlands \\+ Leicester: 12448 children looked after at 31 March 2023" -- \
	$FIT --region "West Midlands" --la Leicester -o "$h/wml.json"
starting 12448 "$h/wml.json"
t "a region pooled with one of its own authorities" 1 '"West Midlands" already holds the local authority named with it \("Warwickshire"\)' -- \
	$FIT --region "West Midlands" --la Warwickshire -o "$h/wmw.json"
[ -e "$h/wmw.json" ] && notok "nothing written for overlapping areas" || ok "nothing written for overlapping areas"
t "the same area twice" 1 "" -- $FIT --la Leicester --la leicester -o "$h/twice.json"
[ -e "$h/twice.json" ] && notok "nothing written for an area given twice" || ok "nothing written for an area given twice"
mkdir -p "$h/each"
t "--each: one model per area and the pooled one" 0 "" -- $FIT --la Leicester --la Warwickshire --each -o "$h/each/pool.json" -q
starting 628 "$h/each/pool-leicester.json"
starting 778 "$h/each/pool-warwickshire.json"
starting 1406 "$h/each/pool.json"
has "--each: the pooled model is named after both" "$h/each/pool.json" '"name": "Leicester \+ Warwickshire"'

# ---- suppressed cells, missing years ----------------------------------------------------
copy supp
# Leicester's starts aged under 1 in 2022 suppressed, and the 2023 stock aged under 1.
awk -F, 'BEGIN { OFS = "," } $1 == 2022 && $7 == "Leicester" && $9 == "Under 1 year" { $10 = "c" } { print }' \
	"$D/started.csv" >"$h/supp/started.csv"
awk -F, 'BEGIN { OFS = "," } $1 == 2023 && $7 == "Leicester" && $8 == "Age group" && $9 == "Under 1 year" { $10 = "x" } { print }' \
	"$D/cla_31_march.csv" >"$h/supp/cla_31_march.csv"
grep -q ',2022,.*\|^2022,Local authority,.*Leicester,Age on starting,Under 1 year,c,' "$h/supp/started.csv" &&
	ok "suppressed: the starts cell is c" || notok "suppressed: the starts cell is c"
t "suppressed cells: fit" 0 "suppressed cells? filled in from the published totals \(never taken as zero\)" -- \
	$C fit dfe --data "$h/supp" --la Leicester --base-year 2023 -o "$h/supp.json"
starting 628 "$h/supp.json"
# The suppressed starts are imputed from the published total, so the mean
# starts a year are those of the tables with the cell: never lower as if 0.
plain=$(sed -n 's/.*"starts_per_year": \([0-9.]*\).*/\1/p' "$h/leicester.json")
supp=$(sed -n 's/.*"starts_per_year": \([0-9.]*\).*/\1/p' "$h/supp.json")
[ -n "$plain" ] && [ "$plain" = "$supp" ] && ok "suppressed starts are not zero: $supp a year as with the cell" ||
	notok "suppressed starts are not zero" "$plain vs $supp"

copy gap
grep -v '^2022,' "$D/started.csv" >"$h/gap/started.csv"
grep -v '^2022,' "$D/ceased.csv" >"$h/gap/ceased.csv"
t "missing year: fit from the others" 0 "starts: no usable figures for 2022" -- \
	$C fit dfe --data "$h/gap" --la Wiltshire --base-year 2023 -o "$h/gap.json"
has "missing year: two years of starts" "$h/gap.json" '"years_with_starts": 2,'
copy nobase
grep -v '^2023,' "$D/cla_31_march.csv" >"$h/nobase/cla_31_march.csv"
t "no stock at the base year" 1 "expected the children looked after at 31 March 2023 .* for Wiltshire, found none" -- \
	$C fit dfe --data "$h/nobase" --la Wiltshire --base-year 2023 -o "$h/nobase.json"
t "base year outside the data" 1 "--base-year 2030: expected a year the data cover, 2021 to 2025" -- \
	$C fit dfe --data "$D" --la Wiltshire --base-year 2030 -o "$h/x.json"

# ---- unknown names, columns, BOM and CRLF, other count columns ----------------------------
t "unknown authority: near matches" 1 'no local authority called "Leicestr" in the data; did you mean "Leicester"\?' -- \
	$FIT --la Leicestr -o "$h/x.json"
t "unknown authority: the list when nothing is near" 1 'no local authority called "Zzzzzzzzzz" in the data, nor one with a similar name; the data have "Leicester"' -- \
	$FIT --la Zzzzzzzzzz -o "$h/x.json"
[ -e "$h/x.json" ] && notok "nothing written for an unknown area" || ok "nothing written for an unknown area"

copy nocol
cut -d, -f1-7,9- "$D/started.csv" >"$h/nocol/started.csv"
t "a table missing a column" 1 'started.csv:1:1: missing column "cla_group": expected the columns time_period, geographic_level, la_name, cla_group, characteristic and number' -- \
	$C fit dfe --data "$h/nocol" --la Leicester --base-year 2023 -o "$h/x.json"
copy nonum
sed '1s/,number,/,count,/' "$D/ceased.csv" >"$h/nonum/ceased.csv"
t "no count column" 1 'ceased.csv:1:1: missing column "number"' -- \
	$C fit dfe --data "$h/nonum" --la Leicester --base-year 2023 -o "$h/x.json"
copy twonum
sed '1s/,number,percentage/,a_number,b_number/' "$D/ceased.csv" >"$h/twonum/ceased.csv"
t "two count columns" 1 'ceased.csv:1:1: expected one count column' -- \
	$C fit dfe --data "$h/twonum" --la Leicester --base-year 2023 -o "$h/x.json"

copy names
sed '1s/,number,/,cla_31_march_number,/' "$D/cla_31_march.csv" >"$h/names/cla_31_march.csv"
sed '1s/,number,/,placements_number,/' "$D/started.csv" >"$h/names/started.csv"
sed '1s/,number,/,Ceased_Number,/' "$D/ceased.csv" >"$h/names/ceased.csv"
t "count columns under DfE's other names" 0 "" -- \
	$C fit dfe --data "$h/names" --la Leicester --base-year 2023 -o "$h/names.json" -q
copy bom
for f in cla_31_march started ceased; do
	printf '\357\273\277' >"$h/bom/$f.csv"
	sed 's/$/\r/' "$D/$f.csv" >>"$h/bom/$f.csv"
done
t "BOM and CRLF" 0 "" -- $C fit dfe --data "$h/bom" --la Leicester --base-year 2023 -o "$h/bom.json" -q
# Same model as from the plain tables, but for the input hashes in "source".
for f in names bom; do
	grep -v '"source"' "$h/leicester.json" >"$h/a"
	grep -v '"source"' "$h/$f.json" >"$h/b"
	cmp -s "$h/a" "$h/b" && ok "$f: the same model as the plain tables" ||
		notok "$f: the same model as the plain tables" "$(diff "$h/a" "$h/b" | head -n 4)"
done

# ---- determinism and atomic outputs ---------------------------------------------------------
t "fit again" 0 "" -- $FIT --la Leicester -o "$h/leicester2.json" -q
cmp -s "$h/leicester.json" "$h/leicester2.json" && ok "fit: same inputs, same bytes" || notok "fit: same inputs, same bytes"
cp "$h/leicester.json" "$h/keep.json"
t "a fit that fails" 1 "" -- $FIT --la Leicestr -o "$h/keep.json"
cmp -s "$h/leicester.json" "$h/keep.json" && ok "a failed fit leaves the earlier file untouched" ||
	notok "a failed fit leaves the earlier file untouched"
: >"$h/afile"
t "unwritable output" 1 "afile/x.json: cannot create output file" -- $FIT --la Leicester -o "$h/afile/x.json"
ls -a "$h" "$h/each" | grep -q '\.tmp' && notok "no temporary files left" || ok "no temporary files left"

# ---- backtest -------------------------------------------------------------------------------
BT="$C backtest dfe --data $D --base-year 2023 --horizon-years 2 --reps 60 --seed 3"
t "backtest one authority" 0 "" -- $BT --la Wiltshire --threads 1 --out "$h/bt1" -q
has "table header" "$tmp/out" '^series +date +actual +p5 +p50 +p95 +APE% +50% +90% +persist +APE% +trend +APE%$'
has "actual at 31 March 2024" "$tmp/out" '^total +2024-03-31 +475 +[0-9]+ +[0-9]+ +[0-9]+ +[0-9.]+ +(yes|no) +(yes|no) +455 +4\.2 +471 +0\.9$'
has "and 2025" "$tmp/out" '^total +2025-03-31 +478 '
has "score line" "$tmp/out" '^total: 2 points; APE% mean / median: carecast [0-9.]+ / [0-9.]+, persistence 4\.5 / 4\.5, trend 1\.7 / 1\.7; inside the 50% range [0-9]+%, the 90% range [0-9]+%$'
for k in '"source":[[:space:]]*"dfe"' '"seed":[[:space:]]*3,' '"replications":[[:space:]]*60,' '"backtests":' \
	'"score":' '"coverage_90":' '"persistence":' '"trend":' '"sha256":[[:space:]]*"[0-9a-f]{64}"'; do
	has "backtest.json: $k" "$h/bt1/backtest.json" "$k"
done
t "same seed, 2 threads" 0 "" -- $BT --la Wiltshire --threads 2 --out "$h/bt2" -q
cmp -s "$h/bt1/backtest.json" "$h/bt2/backtest.json" && ok "backtest.json identical on 1 and 2 threads" ||
	notok "backtest.json identical on 1 and 2 threads"
t "another seed" 0 "" -- $C backtest dfe --data $D --base-year 2023 --horizon-years 2 --reps 60 --seed 4 --la Wiltshire --out "$h/bt3" -q
cmp -s "$h/bt1/backtest.json" "$h/bt3/backtest.json" && notok "another seed gives other ranges" || ok "another seed gives other ranges"
t "backtest --all, base years 2022-2024" 0 "" -- \
	$C backtest dfe --data $D --all --base-year 2022-2024 --horizon-years 3 --reps 20 --out "$h/all" -q
has "--all: the summary over 24 points" "$tmp/out" '^total, all backtests: 24 points; APE% mean / median: carecast [0-9.]+ / [0-9.]+, persistence [0-9.]+ / [0-9.]+, trend [0-9.]+ / [0-9.]+; inside the 50% range [0-9]+%, the 90% range [0-9]+%$'
for a in Leicester Warwickshire Wiltshire England; do
	has "--all: $a" "$tmp/out" "^$a: base 2024-03-31, horizon 3 years"
done
n_bt=$(grep -c '"base_date"' "$h/all/backtest.json")
[ "$n_bt" -eq 12 ] && ok "--all: 12 backtests in backtest.json" || notok "--all: 12 backtests in backtest.json" "found $n_bt"
t "backtest with a base year the data cannot check" 1 "--base-year: expected base years from 2021 to 2024" -- \
	$C backtest dfe --data $D --la Leicester --base-year 2025 --horizon-years 1 --out "$h/bt5"
[ -e "$h/bt5" ] && notok "nothing written after an error" || ok "nothing written after an error"
t "backtest: missing --horizon-years" 2 "expected --horizon-years" -- $C backtest dfe --data $D --la Leicester --base-year 2023 --out "$h/bt6"
t "backtest: --each is for fit" 2 "unknown option '--each'" -- $BT --la Leicester --each --out "$h/bt6"
t "fit: --all is for backtest" 2 "unknown option '--all'" -- $FIT --all -o "$h/x.json"
t "fit: no area" 2 "expected --la NAME or --region NAME" -- $FIT -o "$h/x.json"
t "fit dfe --help" 0 "" -- $C fit dfe --help
has "fit help names the exit codes" "$tmp/out" '^Exit status: 0 success, 1 data error'
t "backtest dfe --help" 0 "" -- $C backtest dfe --help
has "backtest help names backtest.json" "$tmp/out" 'backtest.json'
: >"$h/outfile"
t "backtest: unwritable --out" 1 "backtest.json not written" -- $BT --la Leicester --out "$h/outfile"

# ---- hostile tables: exit 1 and file:line:column ------------------------------------------------
# Memory cap for the plain build (sanitizer builds need a huge address space).
case $C in
*asan*) cap=unlimited ;;
*) cap=1000000 ;; # KiB of virtual memory: 1 GB
esac

# bad NAME REGEX TABLE: $h/bad has the tables, TABLE replaced beforehand; the
# fit exits 1 with REGEX on stderr and writes nothing.
bad() {
	rm -f "$h/bad.json"
	t "hostile: $1" 1 "$2" -- sh -c "ulimit -v $cap; exec $C fit dfe --data \"\$0\" --la Leicester --base-year 2023 -o \"\$1\"" "$h/bad" "$h/bad.json"
	[ -e "$h/bad.json" ] && notok "hostile: $1: nothing written" || ok "hostile: $1: nothing written"
	copy bad
}
copy bad
: >"$h/bad/started.csv"
bad "empty file" "bad/started.csv:1:1: expected a header line naming the columns, found an empty file" started
head -n 1 "$D/started.csv" >"$h/bad/started.csv"
bad "header only" "bad/started.csv: expected children who started to be looked after .* for Leicester in the years ending 31 March 2021 to 2023, found none" started
printf '2023,Local authority,E1,East Midlands,E0,856,Leicester,Age on starting,1 to 4 years,2\0003,15\n' >>"$h/bad/started.csv"
bad "NUL byte" "bad/started.csv:[0-9]+:86: expected text, found a NUL byte" started
printf '2023,Local authority,E1,East Midlands,E0,856,Leic\377ster,Age on starting,1 to 4 years,23,15\n' >>"$h/bad/started.csv"
bad "invalid UTF-8" "bad/started.csv:[0-9]+:50: expected UTF-8 text, found the byte 0xFF" started
printf '\211PNG\r\n\032\n\000\000\000\rIHDR' >"$h/bad/ceased.csv"
bad "binary garbage" "bad/ceased.csv:1:1: expected UTF-8 text, found the byte 0x89" ceased
for v in -5 abc 1e999 12.5.1 1,00; do
	awk -F, -v v="$v" 'BEGIN { OFS = "," } NR == 1 { print; next } $1 == 2022 && $7 == "Leicester" && $9 == "1 to 4 years" { $10 = "\"" v "\"" } { print }' \
		"$D/started.csv" >"$h/bad/started.csv"
	line=$(grep -n '^2022,.*Leicester,Age on starting,1 to 4 years,' "$h/bad/started.csv" | cut -d: -f1)
	bad "count $v" "bad/started.csv:$line:10: expected a count of children .* in column \"number\", found \"$v\"" started
done
awk -F, 'BEGIN { OFS = "," } $1 == 2022 && $7 == "Leicester" && $9 == "1 to 4 years" { $1 = "20x2" } { print }' \
	"$D/started.csv" >"$h/bad/started.csv"
line=$(grep -n '^20x2,' "$h/bad/started.csv" | cut -d: -f1)
bad "bad time_period" "bad/started.csv:$line:1: expected time_period as a year such as 2024 .*found \"20x2\"" started
sed '1s/la_name/cla_group/' "$D/started.csv" >"$h/bad/started.csv"
bad "duplicate columns" "bad/started.csv:1:[0-9]+: expected unique column names, found column 8 \(cla_group\) repeating column 7" started
rm "$h/bad/ceased.csv"
mkdir "$h/bad/ceased.csv"
bad "a directory" "bad/ceased.csv: expected a file, found a directory" ceased
rm "$h/bad/ceased.csv"
mkfifo "$h/bad/ceased.csv"
bad "a FIFO" "bad/ceased.csv: expected a regular file, found a device, FIFO or socket" ceased
rm "$h/bad/ceased.csv"
bad "a missing table" "bad/ceased.csv: " ceased
head -c 5000 "$D/started.csv" >"$h/bad/started.csv"
bad "a truncated table" "bad/started.csv:61:55: expected 11 fields as in the header, found 10" started
awk -F, 'BEGIN { OFS = "," } $1 == 2022 && $7 == "Leicester" && $9 == "1 to 4 years" { print; $10 = $10 + 1 } { print }' \
	"$D/started.csv" >"$h/bad/started.csv"
bad "two rows for one cell" "bad/started.csv:[0-9]+:10: this row gives Leicester 2022 \"Age on starting\" / \"1 to 4 years\" as \"[0-9]+\", but line [0-9]+ gave a different value" started
# A problem in another authority's rows does not stop this one.
awk -F, 'BEGIN { OFS = "," } $1 == 2022 && $7 == "Wiltshire" && $9 == "1 to 4 years" { $10 = "abc" } { print }' \
	"$D/started.csv" >"$h/bad/started.csv"
t "a bad cell of another authority" 0 "" -- $C fit dfe --data "$h/bad" --la Leicester --base-year 2023 -o "$h/other.json" -q
copy bad
printf 'time_period,geographic_level,la_name,age_group,population_estimate\n2023,Local authority,Leicester,Children aged 0 to 17 years,-3\n' >"$h/pop.csv"
t "hostile population" 1 "pop.csv:2:5: expected a population \(a positive number\), found \"-3\"" -- \
	$FIT --la Leicester --population "$h/pop.csv" -o "$h/x.json"
t "population: a directory" 1 "expected a file, found a directory" -- $FIT --la Leicester --population "$h" -o "$h/x.json"
ls -a "$h" | grep -q '\.tmp' && notok "no temporary files left after hostile inputs" || ok "no temporary files left after hostile inputs"

# ---- the real tables (when the shared data are here) --------------------------------------------
R=../shared/data/dfe
if [ -d "$R" ]; then
	t "fit Warwickshire from the shared tables" 0 "Warwickshire: 805 children looked after at 31 March 2024" -- \
		$C fit dfe --data "$R" --la Warwickshire --base-year 2024 -o "$h/real.json"
	t "it runs" 0 "" -- $C run "$h/real.json" --reps 20 --years 1 --out "$h/realrun" -q
else
	ok "shared DfE tables not present here (../shared/data/dfe): skipped"
fi

done_e2e
