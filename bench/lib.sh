# Sourced by the kill-trial scripts (bench/kill_trials.sh, bench/runner_kill_trials.sh)
# from the repository root, after they set TOKEN (the emulated portal's application
# token): the binary to test, a scratch directory removed on exit, and an emulated
# portal on a random local port, started and stopped around each step.
BIN=${BIN:-$PWD/target/debug/b24flow}
[ -x "$BIN" ] || cargo build --quiet
work=$(mktemp -d)
emu=""
stop_emulator() {
  if [ -n "$emu" ]; then kill "$emu" 2>/dev/null || true; wait "$emu" 2>/dev/null || true; emu=""; fi
}
trap 'stop_emulator; rm -rf "$work"' EXIT
port=$((20000 + RANDOM % 20000))
base="http://127.0.0.1:$port/rest"

start_emulator() { # state-file extra-args...
  local state=$1; shift
  "$BIN" -q emulator --listen "127.0.0.1:$port" --state "$state" --app-token "$TOKEN" \
    --rate off "$@" >/dev/null 2>&1 &
  emu=$!
  for _ in $(seq 100); do
    curl -s -o /dev/null "$base/profile?auth=$TOKEN" && return 0
    sleep 0.05
  done
  echo "the emulator did not start" >&2; exit 1
}
