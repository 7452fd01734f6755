#!/bin/sh
# End-to-end tests of `carecast fit ssda903`: the shared samples (copied,
# with CHILD identifiers prefixed "C", into tests/data/ssda903/fit) fitted,
# validated and run; LA selection; the privacy guarantee on every output;
# every command-line error.
set -u
. tests/e2e/lib.sh

F=$DATA/ssda903/fit
B="--base-date 2022-03-31"

# ---- fit -> validate -> run, one LA ---------------------------------------------
t "fit the D2I sample" 0 "data quality: 732 Header and 1303 Episodes rows read" -- \
	$C fit ssda903 $F/d2i $B -o "$tmp/d2i/model.json"
cp "$tmp/err" "$tmp/d2i.err"
cp "$tmp/out" "$tmp/d2i.out"
has "fit prints the rule counts" "$tmp/d2i.err" '^  dec-rec +warning +327 '
has "fit prints entries by age band" "$tmp/d2i.err" '^Entries per year by age band at entry'
has "fit prints exit hazards with events and exposure" "$tmp/d2i.err" '^  home \(all\) +[0-9]+ +[0-9.]+ '
has "fit prints small-count marks" "$tmp/d2i.err" ' \*$'
has "fit prints shrinkage strengths" "$tmp/d2i.err" '^Shrinkage strength'
has "fit prints the history" "$tmp/d2i.err" '^  2022-03-31 +55$'
has "fit prints notes" "$tmp/d2i.err" 'short breaks \(LS V3, V4\)'
has "fit logs what it wrote" "$tmp/d2i.err" "wrote $tmp/d2i/model.json and $tmp/d2i/model.fit.json"
[ -s "$tmp/d2i.out" ] && notok "fit writes nothing on stdout" || ok "fit writes nothing on stdout"
[ -s "$tmp/d2i/model.fit.json" ] && ok "fit writes the report beside the model" ||
	notok "fit writes the report beside the model"
ls "$tmp/d2i" | grep -q tmp && notok "fit leaves no temporary files" || ok "fit leaves no temporary files"
has "model has the base date" "$tmp/d2i/model.json" '"base_date": "2022-03-31"'
has "model rows carry evidence" "$tmp/d2i/model.json" '"reason": "home", "categories": \["fostering"\], "age_bands": \["10-15"\], "time_in_care_bands": \["under6m"\], "rate_per_year": [0-9.e-]+, "events": [0-9.e-]+, "exposure_years": [0-9.e-]+'
has "model has moves" "$tmp/d2i/model.json" '"from": "fostering", "to": "residential"'
has "model has history" "$tmp/d2i/model.json" '"date": "2019-03-31", "cla_total": 288'
has "model has a starting population" "$tmp/d2i/model.json" '"provider": "(in_house|external)", "months_in_care"'
has "report has the quality summary" "$tmp/d2i/model.fit.json" '"id": "stitch-lost", "severity": "warning", "count": 24'
has "report has shrinkage per cell" "$tmp/d2i/model.fit.json" '"pooled_rate": [0-9.e-]+, "weight": [0-9.e-]+, "rate_per_year"'
t "the fitted model validates" 0 "" -- $C validate "$tmp/d2i/model.json"
has "validate counts 55 children" "$tmp/out" "55 children at 2022-03-31"
t "the fitted model runs" 0 "" -- $C run "$tmp/d2i/model.json" --reps 50 --seed 2 --out "$tmp/d2i/run"
has "run summary carries the history" "$tmp/d2i/run/summary.json" '"history":'
t "the fitted model runs in expected mode" 0 "" -- $C run "$tmp/d2i/model.json" --expected --out "$tmp/d2i/exp"

# The same returns named as file pairs (years in the names, starting 1 April).
pairs=""
for y in 2019 2020 2021; do pairs="$pairs --header $F/d2i/$y-header.csv --episodes $F/d2i/$y-episodes.csv"; done
t "fit from --header/--episodes pairs" 0 "" -- $C fit ssda903 $pairs --year-label starting $B -q \
	-o "$tmp/pairs.json"
grep -v '"tool"' "$tmp/pairs.json" >"$tmp/pairs.cmp"
grep -v '"tool"' "$tmp/d2i/model.json" >"$tmp/d2i.cmp"
cmp -s "$tmp/pairs.cmp" "$tmp/d2i.cmp" && ok "pairs and folder give the same model" ||
	notok "pairs and folder give the same model"
t "-q prints no table" 0 "" -- $C fit ssda903 $F/d2i $B -q -o "$tmp/q.json"
grep -q '^Entries per year' "$tmp/err" && notok "-q prints no table" || ok "-q keeps stderr short"
has "-q still prints the quality summary" "$tmp/err" "data quality:"
t "-v prints every rate" 0 "Every exit rate written" -- $C fit ssda903 $F/d2i $B -v -o "$tmp/v.json"
t "--report names the report" 0 "" -- $C fit ssda903 $F/d2i $B -q -o "$tmp/r.json" --report "$tmp/rep/fit.json"
[ -s "$tmp/rep/fit.json" ] && ok "--report file written" || notok "--report file written"
t "--prior-events and --name" 0 "" -- $C fit ssda903 $F/d2i $B -q --prior-events 2 --name "Test LA" -o "$tmp/p.json"
has "--name is the model's name" "$tmp/p.json" '"name": "Test LA"'
has "--prior-events is recorded" "$tmp/p.fit.json" '"prior_events": 2'
t "--window-years 2" 0 "" -- $C fit ssda903 $F/d2i $B -q --window-years 2 -o "$tmp/w2.json"
has "the window is recorded" "$tmp/w2.json" '"window": \{"from": "2020-04-01", "to": "2022-03-31", "years": 2\}'
t "an earlier base date (backtest)" 0 "" -- $C fit ssda903 $F/d2i --base-date 2021-03-31 -w 2 -q -o "$tmp/b.json"
t "a base date that is not a 31 March" 0 "" -- $C fit ssda903 $F/d2i --base-date 2021-12-31 -w 2 -q -o "$tmp/dec.json"
t "... validates" 0 "" -- $C validate "$tmp/dec.json"

# ---- the pooled regional sample ----------------------------------------------------
t "fit the regional sample, all LAs pooled" 0 "fitted 335 children \(3 LAs\)" -- \
	$C fit ssda903 $F/regional $B -o "$tmp/reg.json"
has "regional model names its LAs" "$tmp/reg.json" '"las": \["Bromley", "Hillingdon", "Southwark"\]'
t "... validates" 0 "" -- $C validate "$tmp/reg.json"
t "... runs" 0 "" -- $C run "$tmp/reg.json" --reps 50 --out "$tmp/reg.run"
t "fit one LA of the regional sample" 0 "fitted [0-9]+ children \(1 LA\)" -- \
	$C fit ssda903 $F/regional $B --la southwark -o "$tmp/sw.json"
has "one-LA model is named after it" "$tmp/sw.json" '"name": "Southwark \(fitted to SSDA903, base 2022-03-31\)"'
has "other LAs' rows are counted as skipped" "$tmp/err" 'of other LAs skipped'
t "... validates" 0 "" -- $C validate "$tmp/sw.json"
t "... runs" 0 "" -- $C run "$tmp/sw.json" --reps 50 --out "$tmp/sw.run"
t "fit two LAs pooled" 0 "\(2 LAs\)" -- $C fit ssda903 $F/regional $B --la Bromley --la hillingdon -q -o "$tmp/two.json"
t "... validates" 0 "" -- $C validate "$tmp/two.json"
t "two folders pool their LAs" 0 "\(4 LAs\)" -- $C fit ssda903 $F/regional $F/d2i $B -q -o "$tmp/four.json"
has "a folder without LA column is named after the folder" "$tmp/four.json" '"las": \[.*"d2i"'

# ---- a placement map ------------------------------------------------------------------
cat >"$tmp/map.json" <<'EOF'
{"categories": ["family", "group", "other"],
 "place": {"U1": "family", "U2": "family", "U3": "family", "U4": "family", "U5": "family",
           "U6": "family", "K2": "group", "R1": "group", "S1": "group"}}
EOF
t "fit with a placement map" 0 "" -- $C fit ssda903 $F/d2i $B --map "$tmp/map.json" -q -o "$tmp/map.out.json"
has "the map's categories are the model's" "$tmp/map.out.json" '"name": "group", "in_house_share"'
t "... validates" 0 "3 categories" -- sh -c "$C validate $tmp/map.out.json >&2"
printf '{"place": {"T1": "x"}}' >"$tmp/badmap.json"
t "a bad placement map" 1 "badmap.json:1:12: expected a PLACE code other than T0-T4" -- \
	$C fit ssda903 $F/d2i $B --map "$tmp/badmap.json" -o "$tmp/x.json"

# ---- privacy: no CHILD, UPN, postcode or date of birth in any output ---------------------
# Every CHILD and DOB of the inputs (both date forms) and every UPN and postcode.
: >"$tmp/secrets"
for f in $F/d2i/*.csv $F/regional/*.csv; do
	awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
	{ for (k in col) if (k == "CHILD" || k == "UPN" || k == "HOME_POST" || k == "PL_POST" || k == "DOB" || k == "MC_DOB") if ($col[k] != "") print $col[k] }' "$f" >>"$tmp/secrets"
done
# Dates in the other form too.
sed -n 's|^\([0-9][0-9]\)/\([0-9][0-9]\)/\([0-9]\{4\}\)$|\3-\2-\1|p; s|^\([0-9]\{4\}\)-\([0-9][0-9]\)-\([0-9][0-9]\)$|\3/\2/\1|p' \
	"$tmp/secrets" >>"$tmp/secrets.dates"
cat "$tmp/secrets.dates" >>"$tmp/secrets"
# Dates the fit writes itself (base date, window start, the 31 March of each
# history point) are not leaks when a date of birth happens to equal them.
printf '%s\n' 2019-04-01 01/04/2019 2018-03-31 31/03/2018 2019-03-31 31/03/2019 2020-03-31 31/03/2020 \
	2021-03-31 31/03/2021 2022-03-31 31/03/2022 >"$tmp/allowed"
sort -u "$tmp/secrets" | grep -vxF -f "$tmp/allowed" >"$tmp/secrets.u"
nsecrets=$(wc -l <"$tmp/secrets.u")
[ "$nsecrets" -gt 1000 ] && ok "privacy: $nsecrets identifiers and dates to look for" ||
	notok "privacy: too few identifiers collected ($nsecrets)"
t "fit the regional sample verbosely" 0 "" -- $C fit ssda903 $F/regional $B -v -o "$tmp/priv/model.json"
cp "$tmp/err" "$tmp/priv.err"
cp "$tmp/out" "$tmp/priv.out"
for out in "$tmp/d2i/model.json" "$tmp/d2i/model.fit.json" "$tmp/d2i.err" "$tmp/d2i.out" \
	"$tmp/priv/model.json" "$tmp/priv/model.fit.json" "$tmp/priv.err" "$tmp/priv.out" \
	"$tmp/sw.json" "$tmp/sw.fit.json" "$tmp/d2i/run/summary.json"; do
	name=$(basename "$out")
	if grep -wF -f "$tmp/secrets.u" "$out" >"$tmp/leak"; then
		notok "privacy: $name holds input identifiers or dates" "$(head -n 3 "$tmp/leak")"
	else
		ok "privacy: $name holds no identifier or date of birth"
	fi
	# Every ISO date written is one the fit chose.
	grep -oE '[0-9]{4}-[0-9]{2}-[0-9]{2}' "$out" | sort -u | grep -vxF -f "$tmp/allowed" >"$tmp/dates"
	case $name in summary.json) : >"$tmp/dates" ;; esac # the run's monthly dates
	[ -s "$tmp/dates" ] && notok "privacy: $name has only chosen dates" "$(head -n 3 "$tmp/dates")" ||
		ok "privacy: $name has only chosen dates"
	grep -qE '[0-9]{2}/[0-9]{2}/[0-9]{4}' "$out" && notok "privacy: $name has no DD/MM/YYYY date" ||
		ok "privacy: $name has no DD/MM/YYYY date"
done

# ---- command-line errors ---------------------------------------------------------------
t "fit without a kind" 2 "expected the kind of data to fit: 'carecast fit ssda903 \.\.\.' \(returns\) or 'carecast fit dfe" -- $C fit
t "fit of an unknown kind" 2 "expected the kind of data to fit, 'ssda903' or 'dfe', found 'cin'" -- $C fit cin $F/d2i
t "fit --help" 0 "" -- $C fit ssda903 --help
has "fit --help documents exit codes" "$tmp/out" "Exit status"
t "fit -h" 0 "" -- $C fit --help
t "fit without inputs" 2 "expected SSDA903 returns: a folder, or --header and --episodes files" -- \
	$C fit ssda903 $B -o "$tmp/x.json"
t "fit without --base-date" 2 "expected --base-date YYYY-MM-DD" -- $C fit ssda903 $F/d2i -o "$tmp/x.json"
t "fit without -o" 2 "expected -o MODEL.json" -- $C fit ssda903 $F/d2i $B
t "base date not a date" 2 "--base-date: expected a date YYYY-MM-DD, found '31/03/2022'" -- \
	$C fit ssda903 $F/d2i --base-date 31/03/2022 -o "$tmp/x.json"
t "base date that does not exist" 2 "--base-date: expected a date YYYY-MM-DD, found '2022-02-30'" -- \
	$C fit ssda903 $F/d2i --base-date 2022-02-30 -o "$tmp/x.json"
t "base date not a month end" 2 "--base-date: expected the last day of a month \(usually 31 March\), found '2022-03-30'" -- \
	$C fit ssda903 $F/d2i --base-date 2022-03-30 -o "$tmp/x.json"
t "window 0" 2 "--window-years: expected a whole number of years from 1 to 50, found '0'" -- \
	$C fit ssda903 $F/d2i $B -w 0 -o "$tmp/x.json"
t "window not a number" 2 "--window-years: expected" -- $C fit ssda903 $F/d2i $B --window-years 2.5 -o "$tmp/x.json"
t "prior events negative" 2 "--prior-events: expected a number greater than 0 and at most 1000, found '-1'" -- \
	$C fit ssda903 $F/d2i $B --prior-events -1 -o "$tmp/x.json"
t "prior events junk" 2 "--prior-events: expected" -- $C fit ssda903 $F/d2i $B --prior-events 2x -o "$tmp/x.json"
t "year label unknown" 2 "--year-label: expected ending, starting or auto, found 'middle'" -- \
	$C fit ssda903 $F/d2i $B --year-label middle -o "$tmp/x.json"
t "header without episodes" 2 "expected --header and --episodes in pairs, found 1 --header and 0 --episodes" -- \
	$C fit ssda903 --header $F/d2i/2019-header.csv $B -o "$tmp/x.json"
t "empty --la" 2 "--la: expected an LA name" -- $C fit ssda903 $F/regional $B --la "" -o "$tmp/x.json"
t "unknown option" 2 "unknown option '--frob'" -- $C fit ssda903 $F/d2i $B --frob -o "$tmp/x.json"
t "option without value" 2 "option '--la' needs a value" -- $C fit ssda903 $F/d2i $B -o "$tmp/x.json" --la
t "missing folder" 1 "nope: .*; nothing written" -- $C fit ssda903 $DATA/nope $B -o "$tmp/x.json"
t "missing files" 1 "nope-episodes.csv: cannot open" -- \
	$C fit ssda903 --header $DATA/nope-header.csv --episodes $DATA/nope-episodes.csv $B -o "$tmp/x.json"
t "unknown LA suggests a near name" 1 "--la \"Southwrk\" is not in the data; did you mean \"Southwark\"\?" -- \
	$C fit ssda903 $F/regional $B --la Southwrk -o "$tmp/x.json"
has "unknown LA lists the LAs" "$tmp/err" 'expected one of the LAs in the data \(Southwark, Bromley, Hillingdon\), found "Southwrk"'
t "unknown LA far from any" 1 "--la \"Leicester\" is not in the data$" -- \
	$C fit ssda903 $F/regional $B --la Leicester -o "$tmp/x.json"
t "LA of data without LA column" 1 "an unnamed LA" -- $C fit ssda903 $F/d2i $B --la Leicester -o "$tmp/x.json"
t "window before the data" 1 "the 4-year window from 2018-04-01 to 2022-03-31 starts before the data: the returns in the data begin on 2019-04-01; a window of at most 3 years fits" -- \
	$C fit ssda903 $F/d2i $B --window-years 4 -o "$tmp/x.json"
t "base date after the data" 1 "base date 2023-03-31 is after the data: the latest return in the data closes on 2022-03-31" -- \
	$C fit ssda903 $F/d2i --base-date 2023-03-31 -o "$tmp/x.json"
t "base date before the data" 1 "base date 2018-03-31 is before the data: the returns in the data begin on 2019-04-01" -- \
	$C fit ssda903 $F/d2i --base-date 2018-03-31 -o "$tmp/x.json"
t "base date after one LA's data" 1 "is after the data: the latest return of LA \"Bromley\"" -- \
	$C fit ssda903 $F/regional --base-date 2023-03-31 -o "$tmp/x.json"
t "--strict fails on warnings" 1 "--strict: [0-9]+ problems in the data; nothing written" -- \
	$C fit ssda903 $F/d2i $B --strict -o "$tmp/x.json"
has "--strict still prints the quality summary" "$tmp/err" '^  dec-rec +error +327 '
[ -e "$tmp/x.json" ] && notok "failed fits write nothing" || ok "failed fits write nothing"
: >"$tmp/afile"
t "model under a file" 1 "cannot write the model; nothing written" -- \
	$C fit ssda903 $F/d2i $B -q -o "$tmp/afile/model.json"
[ -e "$tmp/afile.fit.json" ] || [ -e "$tmp/afile/model.fit.json" ] && notok "nothing written when the model cannot be" ||
	ok "nothing written when the model cannot be"

done_e2e
