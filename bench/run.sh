#!/usr/bin/env bash
# The whole-gateway bench, in one command:
#   bench/run.sh [--rounds N] [--seconds S] [--only SECTIONS] [--profile true]
# (defaults: 2 rounds of 8 s per figure, ~4 minutes; SECTIONS is a comma list of startup, latency,
# throughput, events, translation, memory; the class histogram with 1,000 streams open goes to target/bench/;
# --profile true records a JFR profile of each gateway into target/bench/NAME.jfr)
# Builds target/junction.jar if needed, installs wrk (Debian) if missing, compiles the fake provider and
# the load generator in bench/src against the jar, then measures the same load straight to the fake and
# through the gateway (started by ./junction with bench/junction.bench.yaml, SQLite in a temp dir) and
# prints the table. Loopback only; every load loop is bounded in count and time.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

JAVA_HOME="${JAVA_HOME:-}"
if [ -z "$JAVA_HOME" ] || ! grep -qE '^JAVA_VERSION="(2[5-9]|[3-9][0-9])' "$JAVA_HOME/release" 2>/dev/null; then
  JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
fi
export JAVA_HOME

if ! command -v wrk >/dev/null; then
  echo "bench: installing wrk ..." >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
fi

# The launcher builds the jar and records its start-up cache when they are missing or stale, so
# that the start-up figures below measure an ordinary start.
./junction --version >/dev/null
jar="$root/target/junction.jar"

hdr_version=2.2.2
hdr="$HOME/.m2/repository/org/hdrhistogram/HdrHistogram/$hdr_version/HdrHistogram-$hdr_version.jar"
if [ ! -f "$hdr" ]; then
  ./mvnw -q -B dependency:get -Dartifact="org.hdrhistogram:HdrHistogram:$hdr_version" -Dtransitive=false
fi

work="$(mktemp -d /tmp/junction-bench.XXXXXX)"
cp "$jar" "$work/junction.jar" # the load generator's and the fake's own copy
jar="$work/junction.jar"
cleanup() {
  # Stop what this bench started (by pid), keep the logs only when something failed.
  if [ -f "$work/pids" ]; then
    while read -r pid; do kill "$pid" 2>/dev/null || true; done < "$work/pids"
  fi
  if [ "${status:-1}" = 0 ]; then rm -rf "$work"; else echo "bench: logs kept in $work" >&2; fi
}
trap cleanup EXIT

classes="$work/classes"
"$JAVA_HOME/bin/javac" --release 25 -nowarn -d "$classes" -cp "$jar:$hdr" "$root"/bench/src/dev/junction/bench/*.java

mkdir -p "$root/target/bench"
out="$root/target/bench/results-$(date +%Y%m%d-%H%M%S).md"
status=1
"$JAVA_HOME/bin/java" -XX:+UseSerialGC -Xmx1g -cp "$classes:$jar:$hdr" dev.junction.bench.Bench \
  --root "$root" --work "$work" --classpath "$classes:$jar" --out "$out" "$@"
status=0
