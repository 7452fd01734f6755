# lib.sh - what every end-to-end script sources: ok/notok, t (run a command
# and check its exit status and stderr) and has (a file matches a regex).
# Scripts print TAP-like "ok"/"not ok" lines and "# e2e done" at the end;
# tests/run_tests.sh counts them. Every command runs under a time limit.
CARECAST=${CARECAST:-./carecast}
C=$CARECAST
DATA=tests/data
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0

ok() { n=$((n + 1)); echo "ok $n - $1"; }
notok() {
	n=$((n + 1))
	echo "not ok $n - $1"
	shift
	for line in "$@"; do echo "#   $line"; done
	[ -s "$tmp/err" ] && sed 's/^/#   stderr: /' "$tmp/err" | head -n 20
}

# t NAME RC STDERR_REGEX -- CMD...: run CMD, expect exit RC and stderr matching
# STDERR_REGEX (empty regex: stderr not checked). Output in $tmp/out, $tmp/err.
t() {
	name=$1 want=$2 pat=$3
	shift 4
	timeout 120 "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	if [ "$rc" -ne "$want" ]; then
		notok "$name" "exit $rc, expected $want"
		return 1
	fi
	if [ -n "$pat" ] && ! grep -Eq -- "$pat" "$tmp/err"; then
		notok "$name" "stderr does not match /$pat/"
		return 1
	fi
	ok "$name"
}

# has NAME FILE REGEX: FILE has a line matching REGEX.
has() {
	name=$1 file=$2 pat=$3
	if grep -Eq -- "$pat" "$file" 2>/dev/null; then ok "$name"; else notok "$name" "$file lacks /$pat/"; fi
}

# done_e2e: the last line of every script.
done_e2e() { echo "# e2e done: $n tests"; }
