#!/bin/sh
# make valgrind: every unit test program (with reduced replications) and a
# small end-to-end run under valgrind; any memory error or leak fails.
set -u
testdir=$1
bin=$2
vg="valgrind --quiet --error-exitcode=99 --leak-check=full --show-leak-kinds=definite,indirect --errors-for-leak-kinds=definite,indirect"
fail=0
for t in "$testdir"/test_*; do
	[ -x "$t" ] || continue
	if CC_TEST_SCALE=small $vg "$t" >/dev/null 2>"$testdir/valgrind.log"; then
		echo "valgrind $(basename "$t"): clean"
	else
		echo "valgrind $(basename "$t"): FAILED"
		cat "$testdir/valgrind.log"
		fail=1
	fi
done
out=$(mktemp -d)
# Small end-to-end runs that must succeed: any valgrind error or definite leak
# makes them exit 1 (--error-exitcode=1).
vg1="valgrind --quiet --error-exitcode=1 --leak-check=full --show-leak-kinds=definite,indirect --errors-for-leak-kinds=definite,indirect"
run_ok() {
	what=$1
	shift
	if $vg1 "$@" >/dev/null 2>"$testdir/valgrind.log"; then
		echo "valgrind carecast $what: clean"
	else
		echo "valgrind carecast $what: FAILED"
		cat "$testdir/valgrind.log"
		fail=1
	fi
}
run_ok "run (2 threads)" "$bin" run tests/data/tiny.json --reps 20 --years 2 --threads 2 --out "$out/r" -q
run_ok "run --expected" "$bin" run tests/data/tiny.json --expected --out "$out/e" -q
run_ok "run with capacity and scenarios" "$bin" run tests/data/capacity.json --reps 10 --years 4 \
	--scenario scenarios/foster-households-plus-10.json --scenario scenarios/reduce-cla-25pc.json \
	--out "$out/s" -q
run_ok "solve" "$bin" solve tests/data/capacity.json --lever scenarios/foster-households-plus-10.json \
	--target "external/fostering <= 30 by 2026-27 with probability 0.5" --reps 10 --years 2
run_ok "simulate" "$bin" simulate tests/data/capacity.json --ssda903 "$out/y" --years 2
run_ok "fit ssda903" "$bin" fit ssda903 "$out/y" --base-date "$(ls "$out/y" | sort -n | tail -n 1)-03-31" \
	-w 1 -o "$out/f.json" -q
run_ok "backtest ssda903" "$bin" backtest ssda903 "$out/y" \
	--base-date "$(ls "$out/y" | sort -n | head -n 1)-03-31" -w 1 --horizon-years 1 --reps 10 \
	--threads 2 --out "$out/b" -q
run_ok "fit dfe" "$bin" fit dfe --data tests/data/dfe --la Leicester --la Wiltshire --each \
	--base-year 2023 -o "$out/d.json" -q
run_ok "backtest dfe" "$bin" backtest dfe --data tests/data/dfe --la Leicester --base-year 2022 \
	--horizon-years 2 --reps 10 --threads 2 --out "$out/bd" -q
run_ok "plot" "$bin" plot "$out/s" -q
run_ok "report" "$bin" report "$out/s" -q
# A rejected input exits 1 by itself; valgrind's own errors exit 99 here.
$vg "$bin" validate tests/e2e/run_e2e.sh >/dev/null 2>"$testdir/valgrind.log"
r=$?
if [ $r -eq 1 ]; then
	echo "valgrind carecast validate (rejected input): clean"
else
	echo "valgrind carecast validate (rejected input): FAILED (exit $r)"
	cat "$testdir/valgrind.log"
	fail=1
fi
rm -rf "$out"
[ "$fail" -eq 0 ]
