#!/usr/bin/env bash
# The soak (issue 21), not run by CI: a real gateway under mixed stream and non-stream traffic over every
# client API with faults injected upstream, for --minutes (default 10), then a report of errors, memory
# over time and the usage rows reconciled one for one against the requests sent.
#   bench/soak.sh [--minutes 10] [--rate 40] [--workers 32] [--continue-streams false]
#                 [--database postgresql://root@127.0.0.1:5432/test] [--redis redis://127.0.0.1:6379]
#                 [--redis-cut-every 120] [--redis-cut-for 15]   (PostgreSQL and Redis: see Soak.java)
# The report goes to target/bench/soak-<time>.md (and stdout). Loopback only; the gateway (started by
# ./junction with -Xmx256m, SQLite in a temp dir) and the fake provider stop when the soak ends.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

JAVA_HOME="${JAVA_HOME:-}"
if [ -z "$JAVA_HOME" ] || ! grep -qE '^JAVA_VERSION="(2[5-9]|[3-9][0-9])' "$JAVA_HOME/release" 2>/dev/null; then
  JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
fi
export JAVA_HOME

./junction --version >/dev/null # builds the jar (and its start-up cache) when missing or stale
jar="$root/target/junction.jar"

work="$(mktemp -d /tmp/junction-soak.XXXXXX)"
cleanup() {
  if [ -f "$work/pids" ]; then
    while read -r pid; do kill "$pid" 2>/dev/null || true; done < "$work/pids"
  fi
  if [ "${status:-1}" = 0 ]; then rm -rf "$work"; else echo "soak: logs kept in $work" >&2; fi
}
trap cleanup EXIT

cp "$jar" "$work/junction.jar"
classes="$work/classes"
"$JAVA_HOME/bin/javac" --release 25 -nowarn -d "$classes" -cp "$work/junction.jar" \
  "$root/bench/src/dev/junction/bench/Soak.java" "$root/bench/src/dev/junction/bench/Proc.java" \
  "$root/bench/src/dev/junction/bench/CutProxy.java"

mkdir -p "$root/target/bench"
out="$root/target/bench/soak-$(date +%Y%m%d-%H%M%S).md"
status=1
"$JAVA_HOME/bin/java" -XX:+UseSerialGC -Xmx512m -cp "$classes:$work/junction.jar" dev.junction.bench.Soak \
  --root "$root" --work "$work" --out "$out" "$@"
status=0
