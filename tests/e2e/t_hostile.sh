#!/bin/sh
# Hostile inputs: whatever an analyst feeds carecast, it must answer with exit
# 1 and a message naming the file (and line and column where there is one)
# saying what was expected and what was found; never crash, hang, leave a
# half-written output or use memory far beyond the input's size. Also: runs
# interrupted by SIGINT or SIGTERM stop at once and leave earlier outputs
# untouched.
set -u
. tests/e2e/lib.sh

T=$DATA/tiny.json
M=models/example.json
h=$tmp/h
mkdir -p "$h"

# Memory cap for the plain build (sanitizer builds need a huge address space).
case $C in
*asan*) cap=unlimited ;;
*) cap=1000000 ;; # KiB of virtual memory: 1 GB
esac

# bad NAME REGEX FILE: `carecast validate FILE` exits 1 with REGEX on stderr.
bad() {
	t "model: $1" 1 "$2" -- sh -c "ulimit -v $cap; exec $C validate \"\$0\"" "$3"
}
# variant NAME REGEX SED-EXPR: tiny.json edited by SED-EXPR is rejected; the
# file is named after the start of REGEX (e.g. "neg" for "neg.json:10:33...").
variant() {
	stem=${2%%.json:*}
	sed "$3" "$T" >"$h/$stem.json"
	bad "$1" "$2" "$h/$stem.json"
}

# ---- model files: bytes that are not JSON ---------------------------------------
: >"$h/empty.json"
bad "empty file" "empty.json: file is empty; expected a JSON object" "$h/empty.json"
printf '\357\273\277' >"$h/bomonly.json"
bad "BOM only" "bomonly.json: file is empty" "$h/bomonly.json"
printf '\357\273\277' >"$h/bomcrlf.json"
sed 's/$/\r/' "$T" >>"$h/bomcrlf.json"
t "model: BOM and CRLF are fine" 0 "" -- $C validate "$h/bomcrlf.json"
printf '{"name": "x\000y"}' >"$h/nul.json"
bad "NUL byte" "nul.json:1:12: expected JSON text, found a NUL byte" "$h/nul.json"
printf '{"name": "\377\376"}' >"$h/utf8.json"
bad "invalid UTF-8" "utf8.json:1:11: expected UTF-8 text, found the invalid byte 0xFF" "$h/utf8.json"
printf '\211PNG\r\n\032\n\000\000\000\rIHDR' >"$h/garbage.json"
bad "binary garbage" "garbage.json:1:1: expected UTF-8 text, found the invalid byte 0x89" "$h/garbage.json"
awk 'BEGIN { for (i = 0; i < 100000; i++) printf "["; for (i = 0; i < 100000; i++) printf "]"; print "" }' >"$h/deep.json"
bad "JSON nested 100,000 deep" "deep.json:1:1001: expected JSON nested at most 1000 levels deep" "$h/deep.json"
awk 'BEGIN { printf "{\"name\": \""; for (i = 0; i < 1000000; i++) printf "abcdefghij"; print "\"}" }' >"$h/bigfield.json"
bad "a 10 MB string" "bigfield.json:1:1: missing \"base_date\"" "$h/bigfield.json"
awk 'BEGIN { printf "{\"categories\": [1"; for (i = 1; i < 1000000; i++) printf ",1"; print "]}" }' >"$h/array.json"
bad "a 10^6-element list for a short one" "array.json:1:16: expected at most 32 items in \"categories\", found 1000000" "$h/array.json"
awk 'BEGIN { printf "{\"categories\": [1"; for (i = 1; i < 3000000; i++) printf ",1"; print "]}" }' >"$h/values.json"
bad "3 million values" "values.json:1:[0-9]+: expected at most 2000000 values" "$h/values.json"
printf '{"name": "x", "name": "y"}' >"$h/dupkey.json"
bad "duplicate keys" 'dupkey.json:1:15: duplicate key "name" in the model \(first at line 1\)' "$h/dupkey.json"
mkdir "$h/dir.json"
bad "a directory" "dir.json: expected a file, found a directory" "$h/dir.json"
mkfifo "$h/fifo.json"
bad "a FIFO" "fifo.json: expected a regular file, found a device, FIFO or socket" "$h/fifo.json"
bad "a missing file" "nothere.json: cannot open: No such file or directory" "$h/nothere.json"
cp "$T" "$h/unreadable.json"
chmod 000 "$h/unreadable.json"
if [ "$(id -u)" = 0 ]; then
	ok "model: an unreadable file (skipped: root reads anything)"
else
	bad "an unreadable file" "unreadable.json: cannot open: Permission denied" "$h/unreadable.json"
fi
# A valid model cut at many points: always a clear error, never a model.
size=$(wc -c <"$M")
for k in 1 7 100 1000 5000 20000 50000 90000; do
	[ "$k" -lt "$size" ] || continue
	head -c "$k" "$M" >"$h/cut$k.json"
	bad "truncated after $k bytes" "cut$k.json:[0-9]+:[0-9]+: (malformed JSON|expected)" "$h/cut$k.json"
done

# ---- model files: numbers ------------------------------------------------------------
variant "negative rate" 'neg.json:10:33: expected a number from 0 to 10000000 for the entry rate of age band "under1", found -10' \
	's/"under1": 10,/"under1": -10,/'
variant "NaN" "nan.json:10:33: malformed JSON: expected a value .*found 'N'" 's/"under1": 10,/"under1": NaN,/'
variant "Infinity" "inf.json:10:33: malformed JSON: expected a value .*found 'I'" 's/"under1": 10,/"under1": Infinity,/'
variant "1e999" 'e999.json:10:33: expected a finite number for the entry rate of age band "under1", found 1e999' \
	's/"under1": 10,/"under1": 1e999,/'
variant "huge rate" 'huge.json:10:33: expected a number from 0 to 10000000 .*found 1e300' 's/"under1": 10,/"under1": 1e300,/'
sed 's/"under1": 10,/"under1": -0,/' "$T" >"$h/negzero.json"
t "model: -0 is zero" 0 "" -- $C validate "$h/negzero.json"
variant "probability over 1" 'prob.json:5:45: expected a number from 0 to 1 for "in_house_share", found 1.5' \
	's/"in_house_share": 0.6/"in_house_share": 1.5/'
variant "shares not summing to 1" 'mix.json:12:17: expected the category shares for age band "under1" to sum to 1, found 0.5' \
	's/"under1": {"fostering": 1}/"under1": {"fostering": 0.5}/'
variant "a rate as a string" 'str.json:10:33: expected a number for the entry rate of age band "under1", found "10"' \
	's/"under1": 10,/"under1": "10",/'
variant "fractional count" 'frac.json:30:104: expected a whole number for "count", found 2.5' 's/"count": 20}/"count": 2.5}/'
variant "a count of 10^12" 'bigcount.json:30:104: expected a number from 1 to 10000000 for "count", found 1e12' \
	's/"count": 20}/"count": 1e12}/'
variant "age beyond 17" 'age.json:30:20: expected a number from 0 to 215 for "age_months", found 300' \
	's/"age_months": 30,/"age_months": 300,/'
variant "negative events" 'events.json:21:80: expected a number from 0 to 1000000000 for "events", found -4' \
	's/"events": 4, "exposure_years": 40/"events": -4, "exposure_years": 40/'
variant "zero exposure" 'exposure.json:21:101: expected "exposure_years" greater than 0, found 0' \
	's/"events": 4, "exposure_years": 40/"events": 4, "exposure_years": 0/'
variant "rate contradicting its evidence" 'evidence.json:21:65: expected "rate_per_year" to agree within 1% with events / exposure_years = 0.1, found 0.5' \
	's/"rate_per_year": 0.1, "events": 4/"rate_per_year": 0.5, "events": 4/'

# ---- model files: names and dates ------------------------------------------------------
variant "unknown category" 'cat.json:20:33: expected a category \(one of "fostering", "residential", "supported"\), found "castle"' \
	's/"to": "residential"/"to": "castle"/'
variant "unknown key" 'key.json:2:34: unknown key "colour" in the model; expected one of' \
	's/"name": "Tiny test authority",/"name": "Tiny test authority", "colour": "blue",/'
variant "missing section" 'section.json:1:1: missing "entries": expected an object' 's/"entries"/"entriez"/'
variant "31/02/2020" 'd1.json:3:16: expected a date YYYY-MM-DD for "base_date", found "31/02/2020"' \
	's|"base_date": "2025-03-31"|"base_date": "31/02/2020"|'
variant "2020-02-31" 'd2.json:3:16: expected a real date for "base_date", found "2020-02-31" \(no such day\)' \
	's|"base_date": "2025-03-31"|"base_date": "2020-02-31"|'
variant "2020-13-01" 'd3.json:3:16: expected a real date for "base_date", found "2020-13-01"' \
	's|"base_date": "2025-03-31"|"base_date": "2020-13-01"|'
variant "1/1/20" 'd4.json:3:16: expected a date YYYY-MM-DD for "base_date", found "1/1/20"' \
	's|"base_date": "2025-03-31"|"base_date": "1/1/20"|'
variant "blank date" 'd5.json:3:16: expected a date YYYY-MM-DD for "base_date", found ""' \
	's|"base_date": "2025-03-31"|"base_date": ""|'
variant "a base date mid-month" 'd6.json:3:16: expected "base_date" to be the last day of a month' \
	's|"base_date": "2025-03-31"|"base_date": "2025-03-15"|'

# ---- scenario files ------------------------------------------------------------------------
# scen NAME REGEX JSON: a run with this scenario exits 1, says REGEX, writes nothing.
scen() {
	printf '%s\n' "$3" >"$h/$1.json"
	rm -rf "$h/out"
	t "scenario: $1" 1 "$2" -- $C run "$T" --reps 5 --scenario "$h/$1.json" --out "$h/out"
	[ -e "$h/out" ] && notok "scenario: $1 writes nothing" || ok "scenario: $1 writes nothing"
}
scen lever_type 'lever_type.json:1:35: expected a lever type \(one of .*\), found "teleport"' \
	'{"name": "X", "levers": [{"type": "teleport", "start": "2025-04-01"}]}'
scen phase_in 'phase_in.json:1:85: expected "phase_in_end" after "start"' \
	'{"name": "X", "levers": [{"type": "entries", "start": "2026-04-01", "phase_in_end": "2025-04-01", "multiplier": 0.9}]}'
scen self_extends 'self_extends.json:1:26: "extends" makes a cycle' \
	'{"name": "X", "extends": "self_extends.json", "levers": []}'
scen missing_extends 'nowhere.json: cannot open: No such file or directory' \
	'{"name": "X", "extends": "nowhere.json", "levers": []}'
scen named_baseline 'named_baseline.json:1:10: expected a scenario name other than "" or "baseline"' \
	'{"name": "baseline", "levers": []}'
scen per_year 'per_year.json:1:[0-9]+: expected a number from 0 to 1000000 for "per_year", found 1e\+?0?9' \
	'{"name": "X", "levers": [{"type": "extra_exits", "start": "2025-04-01", "reason": "home", "per_year": 1e9}]}'
scen a_list 'a_list.json:1:1: expected a JSON object \(a carecast scenario\), found a list' '[1, 2, 3]'
scen multiplier 'multiplier.json:1:[0-9]+: expected' \
	'{"name": "X", "levers": [{"type": "exit_hazard", "start": "2025-04-01", "multiplier": -1}]}'
: >"$h/empty_scenario.json"
t "scenario: empty file" 1 "empty_scenario.json: file is empty" -- \
	$C run "$T" --reps 5 --scenario "$h/empty_scenario.json" --out "$h/out"

# ---- outputs -------------------------------------------------------------------------------
: >"$h/file"
t "output: a directory under a file" 1 "cannot create directory|expected a directory" -- \
	$C run "$T" --reps 5 --out "$h/file/sub"
t "output: /proc is not writable" 1 "cannot|expected" -- $C run "$T" --reps 5 --out /proc/carecast-out
ls "$h" | grep -q '\.tmp\.' && notok "no temporary files left anywhere" || ok "no temporary files left anywhere"

# ---- interrupted runs ------------------------------------------------------------------------
# A long national run, stopped by a signal after a second: exit 130 within a
# second, the previous outputs in the directory untouched, no temporary files.
$C run "$T" --reps 10 --out "$h/prev" -q 2>/dev/null
cp "$h/prev/summary.json" "$h/prev.summary"
for sig in TERM INT; do
	$C run models/england.json --reps 100000 --out "$h/prev" -q 2>"$tmp/err" &
	pid=$!
	sleep 1
	kill -s "$sig" "$pid"
	t0=$(date +%s%N)
	wait "$pid"
	rc=$?
	t1=$(date +%s%N)
	ms=$(((t1 - t0) / 1000000))
	if [ "$rc" -eq 130 ] && [ "$ms" -lt 1000 ] && grep -q "interrupted; nothing written" "$tmp/err"; then
		ok "SIG$sig stops the run in ${ms} ms with exit 130"
	else
		notok "SIG$sig stops the run within a second with exit 130" "exit $rc after $ms ms"
	fi
	cmp -s "$h/prev/summary.json" "$h/prev.summary" && ok "SIG$sig leaves the previous outputs untouched" ||
		notok "SIG$sig leaves the previous outputs untouched"
	ls -a "$h/prev" | grep -q 'tmp' && notok "SIG$sig leaves no temporary files" ||
		ok "SIG$sig leaves no temporary files"
done

# ---- SSDA903 tables (through carecast fit ssda903) --------------------------------------------
SH=$DATA/ssda903/single/header.csv
SE=$DATA/ssda903/single/episodes.csv
# csv NAME RC REGEX [--strict] -- with $hh/$ee as the tables
csv() {
	cname=$1 cwant=$2 cpat=$3
	shift 3
	rm -rf "$h/fitout"
	t "ssda903: $cname" "$cwant" "$cpat" -- sh -c "ulimit -v $cap; exec $C fit ssda903 --header \"\$0\" --episodes \"\$1\" --base-date 2024-03-31 -w 1 -o $h/fitout/model.json -q $*" "$hh" "$ee"
	if [ "$cwant" -ne 0 ]; then
		[ -e "$h/fitout" ] && notok "ssda903: $cname writes nothing" || ok "ssda903: $cname writes nothing"
	fi
}
hh=$SH ee=$SE
csv "the sample fits" 0 ""
: >"$h/empty.csv"
hh=$SH ee=$h/empty.csv
csv "empty Episodes file" 1 "empty.csv:1:1: expected a header line naming the columns, found an empty file"
hh=$h/empty.csv ee=$SE
csv "empty Header file" 1 "empty.csv:1:1: expected a header line naming the columns, found an empty file"
head -n 1 "$SE" >"$h/hdronly.csv"
hh=$SH ee=$h/hdronly.csv
csv "header line only" 1 "expected children with episodes of care to fit, found none"
sed 's/$/\r/' "$SE" >"$h/crlf.csv"
hh=$SH ee=$h/crlf.csv
csv "BOM and CRLF are fine" 0 ""
printf 'CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC\nS300001,"12/08/2023,S,C1,N1,U6,PR1,,\n' >"$h/quote.csv"
hh=$SH ee=$h/quote.csv
csv "unterminated quote" 1 "quote.csv:2:9: expected a closing quote for the field that starts here, found the end of the file"
printf 'CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC\nS300001,12/08/2023,S,C1\000,N1,U6,PR1,,\n' >"$h/nul.csv"
hh=$SH ee=$h/nul.csv
csv "NUL byte" 1 "nul.csv:2:24: expected text, found a NUL byte"
printf 'CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC\nS300001,12/08/2023,S,C1,N1,U6\377,PR1,,\n' >"$h/utf8.csv"
hh=$SH ee=$h/utf8.csv
csv "invalid UTF-8" 1 "utf8.csv:2:30: expected UTF-8 text, found the byte 0xFF"
awk 'BEGIN { print "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC"; printf "S300001,12/08/2023,S,C1,N1,U6,PR1,,"; for (i = 0; i < 1000000; i++) printf "abcdefghij"; print "" }' >"$h/bigfield.csv"
hh=$SH ee=$h/bigfield.csv
csv "a 10 MB field" 1 "bigfield.csv:2:36: expected a field of at most 1048576 bytes, found a longer one"
awk 'BEGIN { printf "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC"; for (i = 0; i < 100000; i++) printf ",X%d", i; print ""; print "S300001,12/08/2023,S,C1,N1,U6,PR1,," }' >"$h/wide.csv"
hh=$SH ee=$h/wide.csv
csv "100,000 columns" 1 "wide.csv:1:1: expected at most 4096 columns, found 100009 in the header line"
printf '\211PNG\r\n\032\n\000\000\000\rIHDR' >"$h/garbage.csv"
hh=$SH ee=$h/garbage.csv
csv "binary garbage" 1 "garbage.csv:1:1: expected UTF-8 text, found the byte 0x89"
head -c 150 "$SE" >"$h/cut.csv"
hh=$SH ee=$h/cut.csv
csv "a file cut mid-row" 1 "cut.csv:2:53: expected 13 fields as in the header, found 10"
mkdir "$h/dir.csv"
hh=$SH ee=$h/dir.csv
csv "a directory" 1 "dir.csv: expected a file, found a directory"
mkfifo "$h/fifo.csv"
hh=$SH ee=$h/fifo.csv
csv "a FIFO" 1 "fifo.csv: expected a regular file, found a device, FIFO or socket"
sed '1s/CHILD,DECOM/CHILD,CHILD,DECOM/; s/^\(S30000[12]\),/\1,\1,/' "$SE" >"$h/dupcol.csv"
hh=$SH ee=$h/dupcol.csv
csv "duplicate columns" 1 "dupcol.csv:1:7: expected unique column names, found column 2 \(CHILD\) repeating column 1 \(CHILD\)"
sed '1s/,PLACE,/,PLACEX,/' "$SE" >"$h/nocol.csv"
hh=$SH ee=$h/nocol.csv
csv "a missing column" 1 "nocol.csv:1: expected the Episodes table's column PLACE, found no such column"
# Row problems: reported with file and row, the row left out, the fit goes on;
# --strict makes them fatal.
rowcase() { # NAME REGEX SED-EXPR FILE(header|episodes)
	rname=$1 rpat=$2 expr=$3 which=$4
	if [ "$which" = header ]; then
		sed "$expr" "$SH" >"$h/row.csv"
		hh=$h/row.csv ee=$SE
	else
		sed "$expr" "$SE" >"$h/row.csv"
		hh=$SH ee=$h/row.csv
	fi
	csv "$rname" 0 "$rpat"
	csv "$rname (--strict)" 1 "$rpat" --strict
}
rowcase "31/02/2020" "row.csv:4: DECOM: expected a calendar date, found a DD/MM/YYYY value with a day or month that does not exist" 's|S300002,03/03/2021|S300002,31/02/2020|' episodes
rowcase "2020-13-01" "row.csv:4: DECOM: expected a date written DD/MM/YYYY as in the rest of the file" 's|S300002,03/03/2021|S300002,2020-13-01|' episodes
rowcase "1/1/20" "row.csv:4: DECOM: expected a date" 's|S300002,03/03/2021|S300002,1/1/20|' episodes
rowcase "blank DECOM" "row.csv:4: DECOM: expected the date the episode started, found an empty cell" 's|S300002,03/03/2021|S300002,|' episodes
rowcase "DEC before DECOM" "row.csv:4: DEC: expected a date on or after DECOM, found an earlier one" 's|PR2,28/02/2024|PR2,28/02/2020|' episodes
rowcase "DOB in 2099" "DECOM: expected a date on or after the child's DOB, found an earlier one" 's|02/02/2009|02/02/2099|' header
rowcase "episodes of a child absent from the Header" "row.csv:4: CHILD: expected a Header row with the child's DOB and SEX, found none usable" 's|S300002|S999999|' episodes
rowcase "an unknown PLACE code" "row.csv:4: PLACE: expected" 's|N4,U4,PR2|N4,ZZ,PR2|' episodes
# A million rows for one child: read, reported as duplicates, bounded memory.
awk 'BEGIN { print "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC"; for (i = 0; i < 1000000; i++) print "S300001,01/04/2023,P,C2,N1,U6,PR1,," }' >"$h/million.csv"
hh=$SH ee=$h/million.csv
csv "1,000,000 rows for one child" 0 "episode-duplicate +error +999999"

# `fit` and `plot` stop at once on SIGINT/SIGTERM (a handler removes the
# temporary files of outputs being written and kills gnuplot): exit 130
# within a second, earlier outputs untouched, no temporary files.
$C simulate models/england.json --ssda903 "$h/nat" --years 4 --seed 3 2>/dev/null
$C fit ssda903 "$h/nat" --base-date 2028-03-31 -o "$h/fit/model.json" -q 2>/dev/null
cp "$h/fit/model.json" "$h/model.prev"
interrupt() { # NAME SIGNAL DIR CMD...: stop CMD after 0.2 s, then signal it
	name=$1 sig=$2 dir=$3
	shift 3
	"$@" >/dev/null 2>"$tmp/err" &
	pid=$!
	sleep 0.2
	kill -s STOP "$pid" 2>/dev/null
	kill -s "$sig" "$pid" 2>/dev/null
	t0=$(date +%s%N)
	kill -s CONT "$pid" 2>/dev/null
	wait "$pid"
	rc=$?
	ms=$((($(date +%s%N) - t0) / 1000000))
	if [ "$rc" -eq 130 ] && [ "$ms" -lt 1000 ] && grep -q "interrupted; nothing written" "$tmp/err"; then
		ok "$name: SIG$sig stops it in ${ms} ms with exit 130"
	else
		notok "$name: SIG$sig stops it within a second with exit 130" "exit $rc after $ms ms"
	fi
	if find "$dir" -name '*.tmp.*' -o -name '.*.dat.*' -o -name '.*.gp.*' -o -name '.*.svg.*' \
		-o -name '.*.png.*' | grep -q .; then
		notok "$name: SIG$sig leaves no temporary files" "$(find "$dir" -name '*tmp*' | head -n 3)"
	else
		ok "$name: SIG$sig leaves no temporary files"
	fi
}
interrupt "fit" INT "$h/fit" $C fit ssda903 "$h/nat" --base-date 2028-03-31 -o "$h/fit/model.json" -q
cmp -s "$h/fit/model.json" "$h/model.prev" && ok "fit: the previous model is untouched" ||
	notok "fit: the previous model is untouched"
interrupt "fit" TERM "$h/fit" $C fit ssda903 "$h/nat" --base-date 2028-03-31 -o "$h/fit/model.json" -q
$C run "$M" --reps 100 --out "$h/pl" -q 2>/dev/null
$C plot "$h/pl" -q 2>/dev/null
cp "$h/pl/charts/cla.svg" "$h/cla.prev"
interrupt "plot" TERM "$h/pl" $C plot "$h/pl" -q
cmp -s "$h/pl/charts/cla.svg" "$h/cla.prev" && ok "plot: earlier charts untouched" ||
	notok "plot: earlier charts untouched"

done_e2e
