#!/bin/sh
# make bench: the national model (models/england.json), 10 years, 1000
# replications, on 1 and 2 threads; the expected-value projection; peak
# memory of each run. Targets (issue 2): >= 50 million child-months per second
# per core, 2 threads >= 1.8x faster than 1, peak memory < 500 MB, --expected
# < 0.1 s.
set -eu
bench=$1
model=${BENCH_MODEL:-models/england.json}
reps=${BENCH_REPS:-1000}
years=${BENCH_YEARS:-10}
echo "carecast benchmark: $model, $years years, $reps replications ($(nproc) processors)"
e=$("$bench" "$model" expected 5)
echo "  $e"
s1=$("$bench" "$model" sim "$years" "$reps" 1)
echo "  $s1"
s2=$("$bench" "$model" sim "$years" "$reps" 2)
echo "  $s2"
get() { echo "$1" | tr ' ' '\n' | sed -n "s/^$2=//p"; }
t1=$(get "$s1" seconds)
t2=$(get "$s2" seconds)
awk -v t1="$t1" -v t2="$t2" -v pc="$(get "$s1" per_core)" -v m1="$(get "$s1" peak_mb)" \
    -v m2="$(get "$s2" peak_mb)" -v te="$(get "$e" best_seconds)" 'BEGIN {
	sp = t1 / t2
	printf "summary: %.1f million child-months/s per core (target >= 50) %s\n", pc, (pc >= 50 ? "MET" : "MISSED")
	printf "summary: 2 threads %.2fx faster than 1 (target >= 1.8) %s\n", sp, (sp >= 1.8 ? "MET" : "MISSED")
	mm = m1 > m2 ? m1 : m2
	printf "summary: peak memory %.0f MB (target < 500) %s\n", mm, (mm < 500 ? "MET" : "MISSED")
	printf "summary: --expected %.4f s (target < 0.1) %s\n", te, (te < 0.1 ? "MET" : "MISSED")
}'
