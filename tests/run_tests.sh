#!/bin/sh
# Runs every cmocka unit test program in $1 and the end-to-end tests against
# the carecast binary $2, then prints one combined line "N passed, M failed".
# Exit status 0 only if nothing failed.
set -u
testdir=$1
bin=$2
passed=0
failed=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT
for t in "$testdir"/test_*; do
	[ -x "$t" ] || continue
	name=$(basename "$t")
	# cmocka prints its summary on stderr.
	if "$t" >"$log" 2>&1; then rc=0; else rc=$?; fi
	p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$log" | tail -n 1)
	f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$log" | tail -n 1)
	p=${p:-0}
	f=${f:-0}
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		# Crashed or aborted before cmocka could count: a failure.
		f=1
	fi
	if [ "$f" -ne 0 ]; then
		echo "--- $name: $f failed (exit $rc)"
		cat "$log"
	else
		echo "$name: $p passed"
	fi
	passed=$((passed + p))
	failed=$((failed + f))
done
# Fuzz harnesses replayed over their corpus and past failures.
for t in "$testdir"/replay_*; do
	[ -x "$t" ] || continue
	name=${t##*/replay_}
	if "$t" "tests/fuzz/corpus/$name" "tests/fuzz/regressions/$name" >"$log" 2>&1; then
		echo "$(basename "$t"): $(sed -n 's/.*: \([0-9]*\) inputs replayed/\1/p' "$log") inputs, 1 passed"
		passed=$((passed + 1))
	else
		echo "--- $(basename "$t"): failed"
		cat "$log"
		failed=$((failed + 1))
	fi
done
# End-to-end scripts: run_e2e.sh and every tests/e2e/t_*.sh (one per area).
for script in tests/e2e/run_e2e.sh tests/e2e/t_*.sh; do
	[ -f "$script" ] || continue
	name=$(basename "$script" .sh)
	if CARECAST="$bin" sh "$script" >"$log" 2>&1; then :; fi
	p=$(grep -c '^ok ' "$log")
	f=$(grep -c '^not ok ' "$log")
	if [ "$f" -ne 0 ] || ! grep -q '^# e2e done' "$log"; then
		cat "$log"
		grep -q '^# e2e done' "$log" || f=$((f + 1))
		echo "--- $name: $f failed"
	else
		echo "$name: $p passed"
	fi
	passed=$((passed + p))
	failed=$((failed + f))
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
