#!/usr/bin/env bash
# What a kill -9 of the usage writer loses, measured (issue 13): see src/jmh/java/dev/junction/bench/KillNine.java.
#   bench/kill9.sh                                   SQLite, rates 500/s, 2,000/s, as fast as possible
#   bench/kill9.sh --db 'postgresql://root@127.0.0.1:5432/test?currentSchema=kill9' --rates 1000,0
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -q -B -ntp -Pjmh test-compile dependency:build-classpath -Dmdep.outputFile=target/usage-bench.cp \
  -Dmdep.includeScope=test
java_bin=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java; [ -x "$java_bin" ] || java_bin="${JAVA_HOME}/bin/java"
exec "$java_bin" -Xmx256m -cp "target/classes:target/test-classes:$(cat target/usage-bench.cp)" \
  dev.junction.bench.KillNine "$@"
