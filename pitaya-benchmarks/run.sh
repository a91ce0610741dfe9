#!/usr/bin/env bash
# The benchmarks of issue 5 in one run: builds what is needed, starts each server, runs the scenarios
# and prints one table, the framework next to its baseline. What each scenario compares: BENCHMARKS.md.
#
#   pitaya-benchmarks/run.sh                 # everything, about 20 minutes on 2 cores
#   pitaya-benchmarks/run.sh --quick         # short runs with small numbers, to try the script
#   pitaya-benchmarks/run.sh --only 1,4      # some scenarios only (7: browser-like WebSocket chat burst, 8: tadpoles)
#   pitaya-benchmarks/run.sh --jmh           # also the JMH codec and serializer benchmarks (+4 min)
#   pitaya-benchmarks/run.sh --skip-build    # reuse the last build
#   pitaya-benchmarks/run.sh --profile       # JFR recording of the framework server in scenarios 1, 2, 4 and 5
#
# Results (JSON per run, server logs, table.md) go to pitaya-benchmarks/results/<date-time>/.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BENCH="$ROOT/pitaya-benchmarks"
cd "$ROOT"

ARGS="$*"
QUICK=0; ONLY="1,2,3,4,5,6,7,8"; JMH=0; BUILD=1; PROFILE=0
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) QUICK=1 ;;
    --only) ONLY="$2"; shift ;;
    --jmh) JMH=1 ;;
    --skip-build) BUILD=0 ;;
    --profile) PROFILE=1 ;;
    *) echo "unknown option $1 (see the head of $0)" >&2; exit 2 ;;
  esac
  shift
done
wants() { [[ ",$ONLY," == *",$1,"* ]]; }

if [ "$QUICK" = 1 ]; then
  WARMUP=3s; DURATION=5s; KAFKA_WARMUP=5s; KAFKA_DURATION=5s; OPEN_RATE=1000
  REPEATS=1; ROUND_WARMUP=3s; ROUND_DURATION=5s
  MEMBERS=200; ROUNDS=40; IDLE=2000; HOLD=11s; STARTUP_RUNS=1; STORM_CLIENTS=50; STORM_MESSAGES=10
  TADPOLES="20 50"; TADPOLE_WARMUP=3s; TADPOLE_DURATION=5s
else
  # The JVMs of scenario 3 (a broker and the servers or clients) compile for long: the C2 compiler still
  # takes a quarter of the CPU 30-40 s after start. They get a warm-up that reaches the steady state.
  WARMUP=10s; DURATION=30s; KAFKA_WARMUP=40s; KAFKA_DURATION=20s; OPEN_RATE=5000
  # Scenarios 2 and 3's targets compare two servers on two shared cores, where one run of each moves by 10-20 %:
  # they run in interleaved rounds, and the table combines the rounds (Report).
  REPEATS=3; ROUND_WARMUP=5s; ROUND_DURATION=20s
  MEMBERS=1000; ROUNDS=200; IDLE=20000; HOLD=12s; STARTUP_RUNS=3; STORM_CLIENTS=200; STORM_MESSAGES=20
  TADPOLES="50 100 125 150 175"; TADPOLE_WARMUP=5s; TADPOLE_DURATION=15s
fi

# Ports away from the samples' defaults (3250/3251), so a sample running beside us does not collide.
FW_TCP=13250; FW_HTTP=13251; RAW_TCP=13350; RAW_WS=13351
FWN_TCP=13280; FWN_HTTP=13281; FWN_WS=13282
CHAT_TCP=13260; CHAT_HTTP=13261; RAW2_TCP=13360; RAW2_WS=13361; CLUSTER_TCP=13270; RELAY_TCP=13370
GROUP_TCP=13272; GROUP_TCP2=13273; TADPOLE_TCP=13262; TADPOLE_HTTP=13263
# Servers: same heap for framework and baseline, pre-touched so that RSS growth is memory outside the heap.
SERVER_JVM=(-Xms1g -Xmx1g -XX:+AlwaysPreTouch)
CLIENT_JVM=(-Xms512m -Xmx2g)

# One process may hold as many sockets as its open-files limit; scenario 5 needs ~20,000 on the server.
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
FD_LIMIT=$(ulimit -n)
if [ "$IDLE" -gt $((FD_LIMIT - 500)) ]; then
  echo "note: open-files limit is $FD_LIMIT here (hard limit $(ulimit -Hn)); scenario 5 opens $((FD_LIMIT - 500)) sessions instead of $IDLE"
  IDLE=$((FD_LIMIT - 500))
fi

STAMP=$(date +%Y%m%d-%H%M%S)
RESULTS="$BENCH/results/$STAMP"
mkdir -p "$RESULTS"
STARTED=$(date +%s)

# --- build -------------------------------------------------------------------------------------
if [ "$BUILD" = 1 ]; then
  echo "== building pitaya-benchmarks (and what it needs)"
  ./mvnw -B -q -pl pitaya-benchmarks -am install -DskipTests
  if wants 6; then
    echo "== building sample-chat"
    ./mvnw -B -q -pl sample-chat package -Dmaven.test.skip=true || echo "sample-chat did not build; scenario 6 runs without it"
  fi
  if wants 8; then
    echo "== building sample-tadpole"
    ./mvnw -B -q -pl sample-tadpole package -Dmaven.test.skip=true || echo "sample-tadpole did not build; scenario 8 runs without it"
  fi
fi

# Everything runs from a private copy, so that a build started elsewhere meanwhile cannot pull jars
# or classes from under a running benchmark.
WORK=$(mktemp -d /tmp/pitaya-bench.XXXXXX)
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT
mkdir -p "$WORK/lib"
cp -r "$BENCH/target/classes" "$WORK/classes"
CP="$WORK/classes"
IFS=":" read -r -a JARS < "$BENCH/target/runtime-classpath.txt" || true  # no newline at its end
for jar in "${JARS[@]}"; do
  copy="$WORK/lib/$(basename "$(dirname "$jar")")-$(basename "$jar")"
  if [ -d "$jar" ]; then cp -r "$jar" "$copy"; else cp "$jar" "$copy"; fi
  CP="$CP:$copy"
done
CHAT_JAR=$(ls "$ROOT"/sample-chat/target/sample-chat-*.jar 2>/dev/null | grep -v -e sources -e plain | head -1 || true)
[ -n "$CHAT_JAR" ] && cp "$CHAT_JAR" "$WORK/sample-chat.jar"
TADPOLE_JAR=$(ls "$ROOT"/sample-tadpole/target/sample-tadpole-*.jar 2>/dev/null | grep -v -e sources -e plain | head -1 || true)
[ -n "$TADPOLE_JAR" ] && cp "$TADPOLE_JAR" "$WORK/sample-tadpole.jar"
[ -f "$BENCH/target/pitaya-benchmarks-jmh.jar" ] && cp "$BENCH/target/pitaya-benchmarks-jmh.jar" "$WORK/"

# --- servers -----------------------------------------------------------------------------------

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
wait_port() {
  local port=$1 pid=$2
  for _ in $(seq 1 600); do
    if ! port_free "$port"; then return 0; fi
    kill -0 "$pid" 2>/dev/null || { echo "server $pid died; see its log in $RESULTS" >&2; return 1; }
    sleep 0.1
  done
  echo "nothing listens on $port after 60 s" >&2; return 1
}
# start_server NAME PORT... -- COMMAND...: starts a server in the background, sets SERVER_PID.
start_server() {
  local name=$1; shift
  local ports=()
  while [ "$1" != "--" ]; do ports+=("$1"); shift; done
  shift
  for port in "${ports[@]}"; do
    port_free "$port" || { echo "port $port is taken; stop whatever listens there" >&2; exit 1; }
  done
  "$@" > "$RESULTS/$name.log" 2>&1 &
  SERVER_PID=$!
  PIDS+=("$SERVER_PID")
  for port in "${ports[@]}"; do wait_port "$port" "$SERVER_PID"; done
}
# SIGTERM (graceful stop), then SIGKILL if the server is still there after 30 s.
stop_server() {
  kill "$1" 2>/dev/null || true
  for _ in $(seq 1 300); do kill -0 "$1" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
}
framework_server() {
  local name=$1 jfr=(); shift
  [ "$PROFILE" = 1 ] && jfr=("-XX:StartFlightRecording=filename=$RESULTS/$name.jfr,settings=profile")
  start_server "$name" "$FW_TCP" "$FW_HTTP" -- java "${SERVER_JVM[@]}" "${jfr[@]}" -cp "$CP" \
    io.pitaya.bench.server.BenchServerApplication --pitaya.acceptor.tcp.port=$FW_TCP --server.port=$FW_HTTP "$@"
}
raw_server() {
  start_server "$1" "$RAW_TCP" "$RAW_WS" -- java "${SERVER_JVM[@]}" -cp "$CP" \
    io.pitaya.bench.raw.RawNettyServer --tcp-port $RAW_TCP --ws-port $RAW_WS --ws-path /pitaya --heartbeat 5s
}
# start_broker NAME: a Kafka broker in a process of its own; sets BROKER_PID and BOOTSTRAP (the in-JVM broker kit
# picks its own port: the process prints it).
start_broker() {
  java "${SERVER_JVM[@]}" -cp "$CP" io.pitaya.bench.cluster.KafkaBrokerProcess > "$RESULTS/$1.log" 2>&1 &
  BROKER_PID=$!
  PIDS+=("$BROKER_PID")
  BOOTSTRAP=""
  for _ in $(seq 1 600); do
    BOOTSTRAP=$(sed -n 's/^kafka ready at //p' "$RESULTS/$1.log")
    [ -n "$BOOTSTRAP" ] && break
    kill -0 "$BROKER_PID" 2>/dev/null || break
    sleep 0.1
  done
  [ -n "$BOOTSTRAP" ] || { echo "the Kafka broker did not start; see $RESULTS/$1.log" >&2; exit 1; }
}
tool() { java "${CLIENT_JVM[@]}" -cp "$CP" "$@"; }
load() { tool io.pitaya.bench.LoadGenerator --clients 256 --inflight 1 --route echo.echo --payload 64 \
  --warmup $WARMUP --duration $DURATION "$@"; }
broadcast() { tool io.pitaya.bench.BroadcastBenchmark --members $MEMBERS --rounds $ROUNDS "$@"; }

echo "== machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(java -version 2>&1 | head -1), $(uname -sr)"
echo "== results in $RESULTS"

# --- scenarios 1, 2 and 4: framework and raw Netty side by side, runs interleaved ---------------
if wants 1 || wants 2 || wants 4; then
  framework_server framework; FW_PID=$SERVER_PID
  raw_server raw; RAW_PID=$SERVER_PID
  if wants 1; then
    echo "== scenario 1: echo 64 B over TCP, 256 clients x 1 in flight"
    load --transport tcp --port $FW_TCP --label s1-framework --json "$RESULTS/s1-framework.json"
    load --transport tcp --port $RAW_TCP --label s1-raw --json "$RESULTS/s1-raw.json"
  fi
  if wants 2; then
    echo "== scenario 2: echo 64 B over WebSocket, 256 clients x 1 in flight (Spring WebSocket, then pitaya's Netty WebSocket acceptor)"
    # The same bench server with pitaya.acceptor.websocket.server=netty, on ports of its own.
    start_server framework-netty-ws "$FWN_TCP" "$FWN_WS" -- java "${SERVER_JVM[@]}" -cp "$CP" \
      io.pitaya.bench.server.BenchServerApplication --pitaya.acceptor.tcp.port=$FWN_TCP --server.port=$FWN_HTTP \
      --pitaya.acceptor.websocket.server=netty --pitaya.acceptor.websocket.port=$FWN_WS
    FWN_PID=$SERVER_PID
    # Interleaved rounds, each with the server's CPU per echo (the servers share the two cores with the clients).
    s2_load() { load --transport ws --path /pitaya --warmup $ROUND_WARMUP --duration $ROUND_DURATION "$@"; }
    # Each WebSocket server's own warm-up, not recorded: the Netty acceptor's server has just started, and the others have
    # served TCP only so far; a first round on a server still compiling its WebSocket path measured the JIT, not the server.
    for port in $FW_HTTP $FWN_WS $RAW_WS; do
      load --transport ws --path /pitaya --port $port --warmup $ROUND_WARMUP --duration $ROUND_WARMUP --label s2-warm-up > /dev/null
    done
    for round in $(seq 1 $REPEATS); do
      s2_load --port $FW_HTTP --server-pid $FW_PID --label s2-framework-r$round --json "$RESULTS/s2-framework-r$round.json"
      s2_load --port $FWN_WS --server-pid $FWN_PID --label s2-framework-netty-r$round --json "$RESULTS/s2-framework-netty-r$round.json"
      s2_load --port $RAW_WS --server-pid $RAW_PID --label s2-raw-r$round --json "$RESULTS/s2-raw-r$round.json"
    done
    stop_server "$FWN_PID"
  fi
  if wants 4; then
    echo "== scenario 4: broadcast to a group of $MEMBERS"
    broadcast --port $FW_TCP --label s4-framework --json "$RESULTS/s4-framework.json"
    broadcast --port $RAW_TCP --label s4-raw --json "$RESULTS/s4-raw.json"
  fi
  stop_server "$FW_PID"; stop_server "$RAW_PID"
fi

# --- scenario 7: a chat room's burst from browser-like WebSocket clients (issue 12) ----------------
# Each client offers permessage-deflate as Chromium does; the framework refuses it by default, so it also runs
# once with pitaya.acceptor.websocket.compression=true: what browsers cost before. Each server runs alone.
if wants 7; then
  echo "== scenario 7: $STORM_CLIENTS browser-like WebSocket clients in one room, $STORM_MESSAGES messages each"
  storm() { tool io.pitaya.bench.ChatStorm --transport browser --path /pitaya --clients $STORM_CLIENTS --messages $STORM_MESSAGES "$@"; }
  framework_server s7-framework; storm --port $FW_HTTP --server-pid $SERVER_PID --label s7-framework --json "$RESULTS/s7-framework.json"
  stop_server "$SERVER_PID"
  start_server s7-framework-netty "$FWN_TCP" "$FWN_WS" -- java "${SERVER_JVM[@]}" -cp "$CP" \
    io.pitaya.bench.server.BenchServerApplication --pitaya.acceptor.tcp.port=$FWN_TCP --server.port=$FWN_HTTP \
    --pitaya.acceptor.websocket.server=netty --pitaya.acceptor.websocket.port=$FWN_WS
  storm --port $FWN_WS --server-pid $SERVER_PID --label s7-framework-netty --json "$RESULTS/s7-framework-netty.json"
  stop_server "$SERVER_PID"
  framework_server s7-framework-deflate --pitaya.acceptor.websocket.compression=true
  storm --port $FW_HTTP --server-pid $SERVER_PID --label s7-framework-deflate --json "$RESULTS/s7-framework-deflate.json"
  stop_server "$SERVER_PID"
  raw_server s7-raw; storm --port $RAW_WS --server-pid $SERVER_PID --label s7-raw --json "$RESULTS/s7-raw.json"
  stop_server "$SERVER_PID"
fi

# --- scenario 3: forwarded over Kafka (frontend -> backend) next to a plain Kafka ping-pong ------
# The broker runs in a process of its own, so that the CPU read from the framework's JVM (frontend and backend)
# and from the raw relay's is theirs alone. Each side runs closed loop (throughput), then open loop at a fixed
# rate well below saturation (latency without queueing, CPU per forwarded request).
if wants 3; then
  echo "== scenario 3: forwarded to a backend over Kafka, 64 clients; the same hops without the framework; Kafka ping-pong"
  start_broker s3-kafka-broker
  # Both servers up at once: each closed loop (throughput), then open-loop rounds, interleaved, with each server's CPU.
  start_server s3-framework-server $CLUSTER_TCP -- java "${SERVER_JVM[@]}" -cp "$CP" \
    io.pitaya.bench.cluster.ForwardBenchCluster --tcp-port $CLUSTER_TCP --bootstrap $BOOTSTRAP
  S3F_PID=$SERVER_PID
  # The same hops without the framework: raw Netty in front, plain Kafka clients, the framework's producer settings.
  start_server s3-raw-forward-server $RELAY_TCP -- java "${SERVER_JVM[@]}" -cp "$CP" \
    io.pitaya.bench.raw.RawKafkaForwarder --tcp-port $RELAY_TCP --bootstrap $BOOTSTRAP
  S3R_PID=$SERVER_PID
  s3_load() { load --transport tcp --clients 64 --route room.echo.echo "$@"; }
  s3_load --port $CLUSTER_TCP --warmup $KAFKA_WARMUP --duration $KAFKA_DURATION --label s3-framework --json "$RESULTS/s3-framework.json"
  s3_load --port $RELAY_TCP --warmup $KAFKA_WARMUP --duration $KAFKA_DURATION --label s3-raw-forward --json "$RESULTS/s3-raw-forward.json"
  for round in $(seq 1 $REPEATS); do
    s3_load --port $CLUSTER_TCP --rate $OPEN_RATE --warmup 5s --duration $KAFKA_DURATION --server-pid $S3F_PID \
      --label s3-framework-open-r$round --json "$RESULTS/s3-framework-open-r$round.json"
    s3_load --port $RELAY_TCP --rate $OPEN_RATE --warmup 5s --duration $KAFKA_DURATION --server-pid $S3R_PID \
      --label s3-raw-forward-open-r$round --json "$RESULTS/s3-raw-forward-open-r$round.json"
  done
  stop_server "$S3F_PID"; stop_server "$S3R_PID"
  for settings in framework defaults; do
    label=s3-kafka; [ "$settings" = defaults ] && label=s3-kafka-defaults
    tool io.pitaya.bench.KafkaPingPong --bootstrap $BOOTSTRAP --settings $settings --clients 64 --warmup $KAFKA_WARMUP \
      --duration $KAFKA_DURATION --label $label --json "$RESULTS/$label.json" 2>&1 | grep -v -e ' WARN ' -e '^Formatting metadata'
  done
  stop_server "$BROKER_PID"
fi

# --- scenario 4 in a cluster: the group's members over two frontends (issue 14) -------------------
# One backend broadcasts to $MEMBERS members, half on each frontend: with the group in the backend's memory (a push per
# member, to the frontend its binding names) and in ZooKeeper (pitaya.cluster.groups.store=cluster: one message per
# frontend). Kafka in a process of its own; backend, frontends (and ZooKeeper) in one JVM.
if wants 4; then
  echo "== scenario 4 in a cluster: broadcast to $MEMBERS members over 2 frontends"
  start_broker s4-kafka-broker
  for store in memory zookeeper; do
    start_server "s4-cluster-$store-server" "$GROUP_TCP" "$GROUP_TCP2" -- java "${SERVER_JVM[@]}" -cp "$CP" \
      io.pitaya.bench.cluster.GroupBenchCluster --tcp-port $GROUP_TCP --tcp-port2 $GROUP_TCP2 --bootstrap $BOOTSTRAP --store $store
    broadcast --port $GROUP_TCP --port2 $GROUP_TCP2 --join-route room.bench.join --route room.bench.broadcast \
      --label s4-cluster-$store --json "$RESULTS/s4-cluster-$store.json"
    stop_server "$SERVER_PID"
  done
  stop_server "$BROKER_PID"
fi

# --- scenario 5: idle sessions, each server fresh ------------------------------------------------
if wants 5; then
  echo "== scenario 5: $IDLE idle sessions with heartbeats (5 s), memory per session"
  framework_server s5-framework-server
  tool io.pitaya.bench.IdleSessions --port $FW_TCP --clients $IDLE --hold $HOLD --server-pid "$SERVER_PID" \
    --label s5-framework --json "$RESULTS/s5-framework.json"
  stop_server "$SERVER_PID"
  raw_server s5-raw-server
  tool io.pitaya.bench.IdleSessions --port $RAW_TCP --clients $IDLE --hold $HOLD --server-pid "$SERVER_PID" \
    --label s5-raw --json "$RESULTS/s5-raw.json"
  stop_server "$SERVER_PID"
fi

# --- scenario 6: start-up to the first accepted connection ----------------------------------------
if wants 6; then
  echo "== scenario 6: start-up time to the first accepted connection"
  if [ -f "$WORK/sample-chat.jar" ]; then
    tool io.pitaya.bench.StartupProbe --port $CHAT_TCP --runs $STARTUP_RUNS --label s6-framework \
      --log "$RESULTS/s6-framework.log" --json "$RESULTS/s6-framework.json" -- \
      java -jar "$WORK/sample-chat.jar" --pitaya.acceptor.tcp.port=$CHAT_TCP --server.port=$CHAT_HTTP
  else
    echo "   no sample-chat jar; framework side skipped"
  fi
  tool io.pitaya.bench.StartupProbe --port $RAW2_TCP --runs $STARTUP_RUNS --label s6-raw \
    --log "$RESULTS/s6-raw.log" --json "$RESULTS/s6-raw.json" -- \
    java -cp "$CP" io.pitaya.bench.raw.RawNettyServer --tcp-port $RAW2_TCP --ws-port $RAW2_WS
fi

# --- scenario 8: the tadpole world (issue 15), sample-tadpole itself against a raw Netty relay ------------
# N bots (in their own JVM) enter one world and each sends its position 10 times a second; every update is pushed to
# every tadpole: N x (N-1) x 10 pushes a second. Each server runs fresh for each N.
if wants 8; then
  echo "== scenario 8: tadpoles at 10 Hz: $TADPOLES bots"
  bots() { tool io.pitaya.bench.TadpoleBots --rate 10 --warmup $TADPOLE_WARMUP --duration $TADPOLE_DURATION "$@"; }
  for n in $TADPOLES; do
    if [ -f "$WORK/sample-tadpole.jar" ]; then
      start_server "s8-framework-$n-server" "$TADPOLE_TCP" -- java "${SERVER_JVM[@]}" -jar "$WORK/sample-tadpole.jar" \
        --pitaya.acceptor.tcp.port=$TADPOLE_TCP --server.port=$TADPOLE_HTTP
      bots --port $TADPOLE_TCP --bots "$n" --server-pid "$SERVER_PID" --label "s8-framework-$n" --json "$RESULTS/s8-framework-$n.json"
      stop_server "$SERVER_PID"
    else
      echo "   no sample-tadpole jar; framework side skipped"
    fi
    raw_server "s8-raw-$n-server"
    bots --port $RAW_TCP --bots "$n" --server-pid "$SERVER_PID" --label "s8-raw-$n" --json "$RESULTS/s8-raw-$n.json"
    stop_server "$SERVER_PID"
  done
fi

# --- JMH (optional) ------------------------------------------------------------------------------
if [ "$JMH" = 1 ]; then
  echo "== JMH: codec and serializers"
  java -jar "$WORK/pitaya-benchmarks-jmh.jar" -rf json -rff "$RESULTS/jmh.json" | tee "$RESULTS/jmh.txt" | grep -E '^(Benchmark|[A-Z][A-Za-z]+Benchmark\.)'
fi

# --- the table -----------------------------------------------------------------------------------
ELAPSED=$(( $(date +%s) - STARTED ))
{
  echo "pitaya benchmarks, $(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)"
  echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB; $(java -version 2>&1 | head -1); $(uname -sr)"
  echo "command: pitaya-benchmarks/run.sh $ARGS (took ${ELAPSED}s)"
  echo
  java -cp "$CP" io.pitaya.bench.Report "$RESULTS"
} | tee "$RESULTS/table.md"
