#!/bin/sh
# make bench: the national model (models/england.json), 10 years, 1000
# replications, on 1 and 2 threads; the expected-value projection; peak
# memory of each run; the cost of capacity coupling (the same model with and
# without its in-house pools and costs, 1 thread). Targets: >= 50 million
# child-months per second per core, 2 threads >= 1.8x faster than 1, peak
# memory < 500 MB, --expected < 0.1 s, capacity coupling < 1.5x.
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
creps=${BENCH_CAP_REPS:-200}
c0=$("$bench" "$model" sim-nocap "$years" "$creps" 1)
echo "  $c0"
c1=$("$bench" "$model" sim "$years" "$creps" 1)
echo "  $c1"
get() { echo "$1" | tr ' ' '\n' | sed -n "s/^$2=//p"; }
t1=$(get "$s1" seconds)
t2=$(get "$s2" seconds)
awk -v t1="$t1" -v t2="$t2" -v pc="$(get "$s1" per_core)" -v m1="$(get "$s1" peak_mb)" \
    -v m2="$(get "$s2" peak_mb)" -v te="$(get "$e" best_seconds)" \
    -v c0="$(get "$c0" seconds)" -v c1="$(get "$c1" seconds)" -v pools="$(get "$c1" pools)" 'BEGIN {
	sp = t1 / t2
	printf "summary: %.1f million child-months/s per core (target >= 50) %s\n", pc, (pc >= 50 ? "MET" : "MISSED")
	printf "summary: 2 threads %.2fx faster than 1 (target >= 1.8) %s\n", sp, (sp >= 1.8 ? "MET" : "MISSED")
	mm = m1 > m2 ? m1 : m2
	printf "summary: peak memory %.0f MB (target < 500) %s\n", mm, (mm < 500 ? "MET" : "MISSED")
	printf "summary: --expected %.4f s (target < 0.1) %s\n", te, (te < 0.1 ? "MET" : "MISSED")
	cr = c1 / c0
	printf "summary: capacity coupling (%d pools) %.2fx the time without (target < 1.5) %s\n", pools, cr, (cr < 1.5 ? "MET" : "MISSED")
}'
