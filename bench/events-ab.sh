#!/usr/bin/env bash
# Per-event stream cost, two gateway builds side by side in one sitting:
#   bench/events-ab.sh [--rounds N] [--launches L] [--seconds S] [--warmup S] [--connections C] [--threads] A.jar B.jar
# (defaults: 4 rounds of 5 s per figure, 10 s of warm-up per figure and gateway, the four figures at
# once, 64 connections). Starts one fake provider (bench/src) and
# both gateways (bench/junction.bench.yaml, SQLite in a temp dir each), warms both up, then for every
# round and figure loads A and B in turn (the order alternates by round) and reads each gateway's
# CPU time (utime + stime of the process, so every thread's CPU, not wall time) around the load.
# Figures: an OpenAI-style answer whole, and the same stream written by the fake one event per write
# (pass-through); an Anthropic answer whole, and its stream one event per write, asked for by an
# OpenAI client (translated). Per event = (stream - whole) / events, per round, then median and range.
# Prints the load average before and after, since the machine is shared. Loopback only; bounded.
# --threads also splits each gateway's CPU per request by thread (request threads, the usage writer,
# the access log, selectors, GC, JIT ...; numbers stripped from names), median over the rounds.
# --launches L starts both gateways L times (fresh JVMs, fresh databases, warmed up each time) and
# runs the rounds in each: the JIT compiles each launch differently, and one launch of the same build
# against itself has shown request-thread medians 12 µs apart, so medians over launches are the
# figures to compare. Rounds are labelled launch.round.
# JVM options: BENCH_GATEWAY_OPTS for both gateways, BENCH_GATEWAY_OPTS_A / _B for one (after the
# launcher's defaults, so a later option wins).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rounds=4 launches=1 seconds=5 warmup=10 connections=64 threads=false
while [ $# -gt 2 ]; do
  case "$1" in
    --threads) threads=true; shift ;;
    --rounds) rounds="$2"; shift 2 ;;
    --launches) launches="$2"; shift 2 ;;
    --seconds) seconds="$2"; shift 2 ;;
    --warmup) warmup="$2"; shift 2 ;;
    --connections) connections="$2"; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
[ $# -eq 2 ] || { echo "usage: $0 [--rounds N] [--launches L] [--seconds S] [--warmup S] [--connections C] A.jar B.jar" >&2; exit 2; }
jar_a="$(realpath "$1")" jar_b="$(realpath "$2")"
JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
java="$JAVA_HOME/bin/java"
command -v wrk >/dev/null || { echo "wrk is required (apt-get install wrk)" >&2; exit 1; }

work="$(mktemp -d /tmp/junction-events-ab.XXXXXX)"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

hdr="$HOME/.m2/repository/org/hdrhistogram/HdrHistogram/2.2.2/HdrHistogram-2.2.2.jar"
"$JAVA_HOME/bin/javac" --release 25 -nowarn -d "$work/classes" -cp "$jar_a:$hdr" "$root"/bench/src/dev/junction/bench/*.java


"$java" -XX:+UseSerialGC -Xms256m -Xmx256m -cp "$work/classes:$jar_a" dev.junction.bench.FakeUpstream --port 0 \
  > "$work/fake.out" 2> "$work/fake.log" &
pids+=($!)
for _ in $(seq 100); do grep -q "fake listening" "$work/fake.out" 2>/dev/null && break; sleep 0.1; done
fake_port="$(sed -n 's/fake listening on \([0-9]*\)/\1/p' "$work/fake.out")"

start_gateway() { # name jar -> prints "pid port"
  local name="$1" jar="$2" port
  port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
  mkdir -p "$work/data-$name"
  BENCH_PORT="$port" BENCH_FAKE_PORT="$fake_port" BENCH_DATA="$work/data-$name" \
    JUNCTION_MASTER_KEY=bench-master-key-0123456789abcdefghijklmnop JUNCTION_LOG_LEVEL=WARN \
    "$java" -XX:+UseSerialGC -Xms96m -Xmn64m -Xmx512m -XX:TrimNativeHeapInterval=5000 ${BENCH_GATEWAY_OPTS:-} $([ "$name" = a ] && echo "${BENCH_GATEWAY_OPTS_A:-}" || echo "${BENCH_GATEWAY_OPTS_B:-}") \
    -jar "$jar" serve --config "$root/bench/junction.bench.yaml" > "$work/gateway-$name.log" 2>&1 &
  local pid=$!
  for _ in $(seq 600); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/health" || true)" = 200 ] && break
    sleep 0.1
  done
  echo "$pid $port"
}

messages='"messages":[{"role":"system","content":"You are a helpful assistant. Answer briefly."},{"role":"user","content":"Name three prime numbers and say why each one is prime, in one short sentence each."}]'
lua() { # name model stream
  local body="{\"model\":\"$2\",$messages,\"temperature\":0.2,\"max_tokens\":64$([ "$3" = true ] && echo ',"stream":true')}"
  printf 'wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"\nwrk.headers["Authorization"] = "Bearer sk-bench-0123456789abcdef"\nwrk.body = [==[%s]==]\n' \
    "$body" > "$work/$1.lua"
}
lua pass-whole bench false
lua pass-stream bench-split true
lua trans-whole bench-anthropic-split false
lua trans-stream bench-anthropic-split true
figures=(pass-whole pass-stream trans-whole trans-stream)

# Events per stream as the fake writes them (SSE blocks).
pass_events=$(curl -s -X POST -d '{"stream":true}' "http://127.0.0.1:$fake_port/split/v1/chat/completions" | grep -c '^data:')
trans_events=$(curl -s -X POST -d '{"stream":true}' "http://127.0.0.1:$fake_port/anthropic-split/v1/messages" | grep -c '^data:')

ticks=$(getconf CLK_TCK)
cpu() { awk -v t="$ticks" '{ s = $0; sub(/^.*\) /, "", s); split(s, f, " "); printf "%d\n", (f[12] + f[13]) * 1e9 / t }' "/proc/$1/stat"; }

# CPU ticks of each thread group of process $1 ("name ticks" lines; digits at the end of names dropped).
per_thread() {
  python3 - "$1" <<'PY'
import collections, os, re, sys
pid, ticks = sys.argv[1], collections.Counter()
for t in os.listdir(f"/proc/{pid}/task"):
    try:
        name = open(f"/proc/{pid}/task/{t}/comm").read().strip().replace(" ", "_")
        stat = open(f"/proc/{pid}/task/{t}/stat").read()
    except OSError:
        continue
    fields = stat[stat.rindex(")") + 2:].split()
    ticks[re.sub(r"[0-9-]*$", "", name)] += int(fields[11]) + int(fields[12])
for name, n in sorted(ticks.items()):
    print(name, n)
PY
}

# CPU ns of process $1's JIT compiler threads (C1, C2): compiling, not serving.
jit() {
  per_thread "$1" | awk -v t="$ticks" '/^C[12]_Compiler/ { n += $2 } END { printf "%.0f\n", n * 1e9 / t }'
}

run() { # figure pid port seconds -> prints "requests cpu_ns errors jit_ns"; with --threads, per-thread lines to $work/threads.$1
  local c0 c1 j0 j1 out req err t0
  j0=$(jit "$2")
  c0=$(cpu "$2")
  [ "$threads" = true ] && t0="$(per_thread "$2")"
  out="$(wrk -t2 -c"$connections" -d"$4"s --timeout 10s -s "$work/$1.lua" "http://127.0.0.1:$3/v1/chat/completions")"
  c1=$(cpu "$2")
  j1=$(jit "$2")
  req=$(sed -n 's/^ *\([0-9]*\) requests in.*/\1/p' <<<"$out")
  err=$(sed -n 's/^ *Non-2xx or 3xx responses: *\([0-9]*\).*/\1/p' <<<"$out")
  if [ "$threads" = true ] && [ -n "${5:-}" ]; then
    join <(echo "$t0") <(per_thread "$2") | awk -v r="${req:-0}" -v t="$ticks" -v key="${5:-}" \
      '{ if (r > 0) printf "%s %s %.3f\n", key, $1, ($3 - $2) * 1e6 / t / r }' >> "$work/threads"
  fi
  echo "${req:-0} $((c1 - c0)) ${err:-0} $((j1 - j0))"
}

echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
# Warm-up: each gateway takes the four figures at once, as real traffic mixes them, so that the JIT
# compiles for all of them before the rounds (one figure at a time would leave code compiled for
# that figure alone, to be compiled again when the next one comes).
warm() { # pid port
  local f loads=()
  for f in "${figures[@]}"; do
    wrk -t1 -c"$(( (connections + 3) / 4 ))" -d"$(( warmup * 4 ))"s --timeout 10s -s "$work/$f.lua" \
      "http://127.0.0.1:$2/v1/chat/completions" >/dev/null &
    loads+=($!)
  done
  wait "${loads[@]}"
}
: > "$work/results"
for launch in $(seq "$launches"); do
  rm -rf "$work/data-a" "$work/data-b"
  read -r pid_a port_a < <(start_gateway a "$jar_a"); pids+=("$pid_a")
  read -r pid_b port_b < <(start_gateway b "$jar_b"); pids+=("$pid_b")
  echo "launch $launch: warm-up ..."
  warm "$pid_a" "$port_a"
  warm "$pid_b" "$port_b"
  for r in $(seq "$rounds"); do
    order=(a b); [ $((r % 2)) = 0 ] && order=(b a)
    for f in "${figures[@]}"; do
      for g in "${order[@]}"; do
        if [ "$g" = a ]; then res=$(run "$f" "$pid_a" "$port_a" "$seconds" "$g $f"); else res=$(run "$f" "$pid_b" "$port_b" "$seconds" "$g $f"); fi
        echo "$launch.$r $g $f $res" | tee -a "$work/results"
      done
    done
  done
  kill "$pid_a" "$pid_b" 2>/dev/null || true
  for _ in $(seq 100); do [ -e "/proc/$pid_a" ] || [ -e "/proc/$pid_b" ] || break; sleep 0.1; done
done
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"

summary() { # 1 = leave the JIT compiler threads out
awk -v nojit="$1" -v pe="$pass_events" -v te="$trans_events" '
  { us[$1 " " $2 " " $3] = (nojit ? $5 - $7 : $5) / 1000 / ($4 > 0 ? $4 : 1); err[$2] += $6; rounds[$1] = 1; rps[$2 " " $3] += $4 }
  function stats(list, n,   i, j, t, s) {
    for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (list[j] < list[i]) { t = list[i]; list[i] = list[j]; list[j] = t }
    s = (n % 2) ? list[(n + 1) / 2] : (list[n / 2] + list[n / 2 + 1]) / 2
    return sprintf("%.2f [%.2f-%.2f]", s, list[1], list[n])
  }
  END {
    if (nojit) printf "\nthe same without the JIT compiler threads (C1, C2), whose work falls as the build warms:\n"
    else printf "\nevents per stream: pass-through %d, translated %d\n", pe, te
    printf "%-4s %-34s %-34s %-26s %-26s\n", "gw", "pass whole / stream us/req", "trans whole / stream us/req", "pass us/event", "trans us/event"
    split("a b", gws, " ")
    for (k = 1; k <= 2; k++) {
      g = gws[k]; n = 0
      for (r in rounds) {
        n++
        pw[n] = us[r " " g " pass-whole"]; ps[n] = us[r " " g " pass-stream"]
        tw[n] = us[r " " g " trans-whole"]; ts[n] = us[r " " g " trans-stream"]
        pev[n] = (ps[n] - pw[n]) / pe; tev[n] = (ts[n] - tw[n]) / te
      }
      printf "%-4s %-34s %-34s %-26s %-26s errors %d\n", g, stats(pw, n) " / " stats(ps, n), stats(tw, n) " / " stats(ts, n),
        stats(pev, n), stats(tev, n), err[g]
    }
  }' "$work/results"
}
summary 0
summary 1

if [ "$threads" = true ]; then
  echo
  echo "CPU µs per request by thread, median over the rounds (threads under 0.1 µs left out):"
  awk '{ k = $1 " " $2 " " $3; v[k] = v[k] " " $4 }
    END { for (k in v) { n = split(substr(v[k], 2), a, " ")
            for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] + 0 < a[i] + 0) { t = a[i]; a[i] = a[j]; a[j] = t }
            m = (n % 2) ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
            if (m >= 0.1) printf "%s %.2f\n", k, m } }' "$work/threads" | sort -k2,2 -k3,3 -k1,1 | column -t
fi
