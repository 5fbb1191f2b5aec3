#!/usr/bin/env bash
# kill -9 trials of `b24flow run --once` against an emulated portal with injected faults.
# The portal holds M tasks, each created (ONTASKADD) and completed (ONTASKUPDATE), and two
# runner workflows: "task created -> notify the responsible person" and "task completed
# -> notify its creator", so 2M events and 2M expected notifications. Each trial: start
# the emulator from that seed with faults, start `run --once`, kill it with SIGKILL once
# the portal's outbox holds k notifications (k = 1 + trial*13 mod 2M, so kills land all
# through the batch; a run that stops by itself on a fault first is started again, as
# the schedule would, and counted), give requests already sent a second to complete (the
# portal does not die with the runner), restart the emulator without faults, run
# `run --once` again (until it exits 0, at most 5 times) with the same state file, then
# check the outbox: every event exactly one notification (none missing, none twice),
# none reported uncertain, and the offline queue empty. A notification whose request
# was in flight when the run died is sent again with the same TAG, which replaces the
# first (the outbox entry lists the ids it replaced): the trial also counts those
# repeats. Prints one line per trial and a Markdown table. Not a timed test.
#
# Usage: bench/runner_kill_trials.sh          (50 trials, 25 tasks)
#        TRIALS=5 M=10 bench/runner_kill_trials.sh
#        FAULTS= bench/runner_kill_trials.sh  (kills only)
set -euo pipefail
cd "$(dirname "$0")/.."
TRIALS=${TRIALS:-50}
M=${M:-25}
FAULTS=${FAULTS-500:0.03,503:0.05,drop-after-commit:0.1,500-after-commit:0.05,drop:0.02}
LATENCY=${LATENCY:-20}
TOKEN=RUNNER-KILL-TRIALS-0123456789
# shellcheck source=bench/lib.sh
source bench/lib.sh
rest() { # method json
  curl -fsS -H 'content-type: application/json' -d "$2" "$base/$1.json?auth=$TOKEN"
}
notifications() { jq '[.engine.outbox[] | select(.channel == "notification")]' "$1"; }

# The project: two runner workflows, compiled with the offline parser.
tpl=$work/tpl
mkdir -p "$tpl/workflows"
printf '[portal]\nurl = "http://127.0.0.1:%s"\nrate = "off"\n\n[recipients]\n"creator" = "author"\n' "$port" > "$tpl/b24flow.toml"
printf 'When a task is created, send a notification to the responsible person: new task {{TASK_TITLE}}\n' > "$tpl/workflows/task-new.txt"
printf 'When a task is completed, notify its Creator: done {{TASK_TITLE}}\n' > "$tpl/workflows/task-done.txt"
"$BIN" -q -C "$tpl" compile >/dev/null

# The seed portal: bindings applied, then M tasks created and completed over REST.
seed=$work/seed.json
start_emulator "$seed"
B24FLOW_ACCESS_TOKEN=$TOKEN "$BIN" -q -C "$tpl" apply --auto-approve >/dev/null 2>&1
for i in $(seq -w 1 "$M"); do
  id=$(rest tasks.task.add "{\"fields\":{\"TITLE\":\"T$i\",\"CREATED_BY\":3,\"RESPONSIBLE_ID\":2}}" | jq -r '.result.task.id')
  rest tasks.task.complete "{\"taskId\":$id}" >/dev/null
done
queued=$(rest event.offline.list '{}' | jq '.total')
stop_emulator
expected=$((2 * M))
[ "$queued" -eq "$expected" ] || { echo "the seed queued $queued events, not $expected" >&2; exit 1; }

ok_trials=0; bad_trials=0; killed_trials=0; total_missing=0; total_uncertain=0; total_dups=0; self_stopped=0; total_replaced=0
for t in $(seq 1 "$TRIALS"); do
  p=$work/p; rm -rf "$p"; cp -r "$tpl" "$p"
  state=$work/state.json; cp "$seed" "$state"
  faults=(); [ -n "$FAULTS" ] && faults=(--faults "$FAULTS,seed:$t")
  start_emulator "$state" --latency-ms "$LATENCY" "${faults[@]}"
  k=$(( 1 + (t * 13) % expected ))
  # Under faults a run stops by itself at the first request whose outcome it cannot
  # know; it is started again (as the schedule would) until the kill lands or a run
  # finishes the queue.
  ended=finished; fault_stops=0; uncertain=0
  for _ in $(seq 30); do
    B24FLOW_ACCESS_TOKEN=$TOKEN NO_COLOR=1 "$BIN" -C "$p" run --once >"$work/run.out" 2>&1 &
    runner=$!
    for _ in $(seq 3000); do
      kill -0 "$runner" 2>/dev/null || break
      [ "$(notifications "$state" 2>/dev/null | jq 'length' 2>/dev/null || echo 0)" -ge "$k" ] && break
      sleep 0.01
    done
    if kill -0 "$runner" 2>/dev/null; then
      kill -9 "$runner" 2>/dev/null || true
      wait "$runner" 2>/dev/null || true
      ended=killed
    else
      rc=0; wait "$runner" 2>/dev/null || rc=$?
      [ $rc -ne 0 ] && fault_stops=$((fault_stops + 1))
    fi
    uncertain=$(( uncertain + $(grep -c "it was not sent again" "$work/run.out" || true) ))
    [ "$ended" = killed ] && break
    [ "${rc:-0}" -eq 0 ] && break
  done
  self_stopped=$((self_stopped + fault_stops))
  [ "$ended" = killed ] && killed_trials=$((killed_trials + 1))
  # The portal outlives the runner: a request the killed run had sent still completes.
  sleep 1
  stop_emulator
  before=$(notifications "$state" | jq 'length')
  start_emulator "$state"
  rc=1; runs=0
  while [ $rc -ne 0 ] && [ $runs -lt 5 ]; do
    runs=$((runs + 1)); rc=0
    out=$(B24FLOW_ACCESS_TOKEN=$TOKEN NO_COLOR=1 "$BIN" -C "$p" run --once 2>&1) || rc=$?
    uncertain=$(( uncertain + $(grep -c "it was not sent again" <<<"$out" || true) ))
  done
  left=$(rest event.offline.list '{}' | jq '.total')
  stop_emulator
  sent=$(notifications "$state" | jq 'length')
  dups=$(notifications "$state" | jq '[group_by(.text)[] | select(length > 1)] | length')
  distinct=$(notifications "$state" | jq '[.[].text] | unique | length')
  missing=$((expected - distinct))
  replaced=$(notifications "$state" | jq '[.[].replaced // [] | length] | add // 0')
  total_replaced=$((total_replaced + replaced))
  total_missing=$((total_missing + missing)); total_uncertain=$((total_uncertain + uncertain))
  total_dups=$((total_dups + dups))
  ok=no
  if [ $rc -eq 0 ] && [ "$dups" -eq 0 ] && [ "$missing" -eq 0 ] && [ "$uncertain" -eq 0 ] && [ "$left" -eq 0 ]; then
    ok=yes; ok_trials=$((ok_trials + 1))
  else
    bad_trials=$((bad_trials + 1))
  fi
  printf 'trial %2d kill-at=%2d sent-before-kill=%2d fault-stops=%d first-run-ended=%-8s follow-up-runs=%d rc=%d sent=%2d duplicates=%d missing=%d reported-uncertain=%d re-sent-and-replaced=%d queue-left=%d ok=%s\n' \
    "$t" "$k" "$before" "$fault_stops" "$ended" "$runs" "$rc" "$sent" "$dups" "$missing" "$uncertain" "$replaced" "$left" "$ok"
done
echo
echo "| trials | events per trial | ok | not ok | duplicates | missing | reported uncertain | re-sent, replacing the first | runs stopped by a fault (restarted) | trials the kill landed in |"
echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
echo "| $TRIALS | $expected | $ok_trials | $bad_trials | $total_dups | $total_missing | $total_uncertain | $total_replaced | $self_stopped | $killed_trials |"
