#!/bin/sh
# make fuzz: runs each libFuzzer harness for N seconds on a scratch copy of
# its corpus (tests/fuzz/corpus/<name> and tests/fuzz/regressions/<name>),
# printing executions per second and coverage; any crash, leak, timeout or
# out-of-memory fails, and the input is saved in BUILD/artifacts/<name>/.
# Usage: run.sh BUILD SECONDS NAME...
set -u
build=$1
secs=$2
shift 2
fail=0
for name in "$@"; do
	bin=$build/fuzz/fuzz_$name
	work=$build/corpus/$name
	art=$build/artifacts/$name
	mkdir -p "$work" "$art"
	log=$build/fuzz_$name.log
	"$bin" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
		-print_final_stats=1 -artifact_prefix="$art/" "$work" \
		"tests/fuzz/corpus/$name" "tests/fuzz/regressions/$name" >"$log" 2>&1
	rc=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
	rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
	cov=$(grep -o 'cov: [0-9]*' "$log" | tail -n 1)
	if [ "$rc" -eq 0 ]; then
		echo "fuzz $name: ${secs}s, ${execs:-?} runs, ${rate:-?} execs/s, ${cov:-cov: ?}, no failures"
	else
		echo "fuzz $name: FAILED (exit $rc); input saved in $art/; log $log"
		grep -E '^==[0-9]+==|SUMMARY|ERROR' "$log" | head -n 20
		fail=1
	fi
done
[ "$fail" -eq 0 ]
