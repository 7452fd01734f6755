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
# A successful run (2 threads), the expected mode, and a rejected input (exit 1,
# not valgrind's 99).
$vg "$bin" run tests/data/tiny.json --reps 20 --years 2 --threads 2 --out "$out" -q \
	2>"$testdir/valgrind.log"
r1=$?
$vg "$bin" run tests/data/tiny.json --expected --out "$out" -q 2>>"$testdir/valgrind.log"
r2=$?
$vg "$bin" validate tests/e2e/run_e2e.sh >/dev/null 2>>"$testdir/valgrind.log"
r3=$?
if [ $r1 -eq 0 ] && [ $r2 -eq 0 ] && [ $r3 -eq 1 ]; then
	echo "valgrind carecast run/validate: clean"
else
	echo "valgrind carecast run/validate: FAILED (exit codes $r1 $r2 $r3)"
	cat "$testdir/valgrind.log"
	fail=1
fi
rm -rf "$out"
[ "$fail" -eq 0 ]
