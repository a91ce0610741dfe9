#!/usr/bin/env bash
# The abuse tool against sample-chat: builds both (package only, nothing is installed into ~/.m2), starts
# sample-chat with a 512 MiB heap and 2 s heartbeats, runs the attacks of io.pitaya.bench.abuse.AbuseTool
# while bystanders chat in the room, then stops the server.
#
#   pitaya-benchmarks/abuse.sh                          # every attack, full sizes (about 5 minutes)
#   pitaya-benchmarks/abuse.sh --quick                  # smaller numbers
#   pitaya-benchmarks/abuse.sh --attacks big-handshake,random-frames
#   pitaya-benchmarks/abuse.sh --tcp-port 13250 --ws-port 13251   # when 3250/3251 are taken
#   pitaya-benchmarks/abuse.sh --skip-build -- --bystanders 40    # after --, options for the tool itself
#   pitaya-benchmarks/abuse.sh --netty-ws                # WebSocket on pitaya's Netty server (websocket.server=netty)
#
# Results (abuse.jsonl, one JSON line per attack, and the server's log) go to
# pitaya-benchmarks/results/abuse-<date-time>/.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BENCH="$ROOT/pitaya-benchmarks"
cd "$ROOT"

QUICK=(); ATTACKS=all; BUILD=1; TCP_PORT=3250; WS_PORT=3251; TOOL_ARGS=()
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) QUICK=(--quick) ;;
    --attacks) ATTACKS="$2"; shift ;;
    --skip-build) BUILD=0 ;;
    --netty-ws) NETTY_WS=1 ;;
    --tcp-port) TCP_PORT="$2"; shift ;;
    --ws-port) WS_PORT="$2"; shift ;;
    --) shift; TOOL_ARGS=("$@"); break ;;
    *) echo "unknown option $1 (see the head of $0)" >&2; exit 2 ;;
  esac
  shift
done

if [ "$BUILD" = 1 ]; then
  echo "== building pitaya-benchmarks and sample-chat"
  ./mvnw -B -q -pl pitaya-benchmarks,sample-chat -am package -DskipTests
fi

# Run from a private copy, so that a build started meanwhile cannot change jars under a running JVM.
WORK=$(mktemp -d /tmp/pitaya-abuse.XXXXXX)
SERVER_PID=
cleanup() {
  if [ -n "$SERVER_PID" ]; then
    kill "$SERVER_PID" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
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
[ -n "$CHAT_JAR" ] || { echo "no sample-chat jar in sample-chat/target; build without --skip-build" >&2; exit 1; }
cp "$CHAT_JAR" "$WORK/sample-chat.jar"

ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
RESULTS="$BENCH/results/abuse-$(date +%Y%m%d-%H%M%S)"
mkdir -p "$RESULTS"

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
for port in "$TCP_PORT" "$WS_PORT"; do
  port_free "$port" || { echo "port $port is taken; choose others with --tcp-port / --ws-port" >&2; exit 1; }
done

echo "== starting sample-chat (tcp $TCP_PORT, ws $WS_PORT), log in $RESULTS/server.log"
# WebSocket on the web server (Spring WebSocket, the default), or with --netty-ws on pitaya's Netty server (the web
# server then listens on the next port, for Actuator only).
WEB=(--server.port="$WS_PORT")
if [ "${NETTY_WS:-0}" = 1 ]; then
  WEB=(--server.port="$((WS_PORT + 1))" --pitaya.acceptor.websocket.server=netty --pitaya.acceptor.websocket.port="$WS_PORT")
fi
java -Xmx512m -jar "$WORK/sample-chat.jar" --pitaya.heartbeat.interval=2s \
  --pitaya.acceptor.tcp.port="$TCP_PORT" "${WEB[@]}" > "$RESULTS/server.log" 2>&1 &
SERVER_PID=$!
for port in "$TCP_PORT" "$WS_PORT"; do
  for i in $(seq 1 600); do
    port_free "$port" || break
    kill -0 "$SERVER_PID" 2>/dev/null || { echo "sample-chat died; see $RESULTS/server.log" >&2; exit 1; }
    [ "$i" = 600 ] && { echo "nothing listens on $port after 60 s" >&2; exit 1; }
    sleep 0.1
  done
done

echo "== machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(java -version 2>&1 | head -1); commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
STATUS=0
java -Xmx1g -cp "$CP" io.pitaya.bench.abuse.AbuseTool --tcp-port "$TCP_PORT" --ws-port "$WS_PORT" \
  --server-pid "$SERVER_PID" --server-log "$RESULTS/server.log" --attacks "$ATTACKS" --json "$RESULTS/abuse.jsonl" \
  ${QUICK[@]+"${QUICK[@]}"} ${TOOL_ARGS[@]+"${TOOL_ARGS[@]}"} 2>&1 | tee "$RESULTS/abuse.txt" || STATUS=$?
kill -0 "$SERVER_PID" 2>/dev/null && echo "== sample-chat still running after the attacks; stopping it" \
  || echo "== sample-chat is no longer running"
echo "== results in $RESULTS"
exit "$STATUS"
