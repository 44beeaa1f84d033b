#!/usr/bin/env bash
# The usage store at scale (issue 13): N raw rows (default 20 M) through the real usage writer, then
# the dashboard's queries, raw-row pages and a CSV export of 1 M rows in a small heap.
#   bench/usage.sh --db sqlite:target/usage-bench/usage.db --rows 20000000
#   bench/usage.sh --db 'postgresql://root@127.0.0.1:5432/test?currentSchema=usage_bench' --rows 20000000
#   bench/usage.sh --db ... --no-fill          (queries only, on a database filled before)
# Heap: -Xmx512m by default (JAVA_OPTS overrides), so an export that grew with its rows would fail.
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -q -B -ntp -Pjmh test-compile dependency:build-classpath -Dmdep.outputFile=target/usage-bench.cp \
  -Dmdep.includeScope=test
mkdir -p target/usage-bench
java_bin=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java; [ -x "$java_bin" ] || java_bin="${JAVA_HOME}/bin/java"
exec "$java_bin" ${JAVA_OPTS:--Xmx512m} -cp "target/classes:target/test-classes:$(cat target/usage-bench.cp)" \
  dev.junction.bench.UsageBench "$@"
