#!/usr/bin/env bash
# kill -9 trials of `b24flow apply` against an emulated portal with injected faults
# (writes that commit and then lose their reply, 500s, dropped connections), half
# batched and half `--no-batch`. Each trial: start the emulator with the faults, start
# apply, kill it with SIGKILL once the portal's state file holds k managed templates
# (k = 1 + trial*37 mod N, so every kill lands mid-write; the emulator saves after
# each command, batched or not), restart the emulator
# without faults, run one plain `apply --auto-approve` (plus `--break-lock` only when
# the killed run left its lock), then check the portal's state file: exactly one
# template per workflow, and the unmanaged templates byte-identical to the seed.
# Prints one line per trial and a Markdown table. Not a timed test.
#
# Usage: bench/kill_trials.sh            (25 trials per mode, 60 workflows)
#        TRIALS=5 N=20 bench/kill_trials.sh
set -euo pipefail
cd "$(dirname "$0")/.."
TRIALS=${TRIALS:-25}
N=${N:-60}
FAULTS=${FAULTS:-500:0.05,503:0.05,drop-after-commit:0.15,500-after-commit:0.1,drop:0.03}
LATENCY=${LATENCY:-40}
TOKEN=KILL-TRIALS-TOKEN-0123456789
# shellcheck source=bench/lib.sh
source bench/lib.sh

# A project of N workflows, compiled once (offline parser).
tpl=$work/tpl
mkdir -p "$tpl/workflows"
for i in $(seq -w 1 "$N"); do
  printf 'When a deal is won, add a comment "Deal won, rule %s"\n' "$i" > "$tpl/workflows/w$i.txt"
done
printf '[portal]\nurl = "http://127.0.0.1:%s"\nrate = "off"\n' "$port" > "$tpl/b24flow.toml"
"$BIN" -q -C "$tpl" compile >/dev/null

# The seed portal: 3 unmanaged templates (applied from a scratch project, then their
# ownership markers stripped, as if made by hand or by another application).
seedp=$work/seedp
mkdir -p "$seedp/workflows"
cp "$tpl/b24flow.toml" "$seedp/"
for name in hand-a hand-b hand-c; do
  printf 'When a lead is created, add a comment "%s, kept by hand"\n' "$name" > "$seedp/workflows/$name.txt"
done
"$BIN" -q -C "$seedp" compile >/dev/null
start_emulator "$work/seed.json"
B24FLOW_ACCESS_TOKEN=$TOKEN "$BIN" -q -C "$seedp" apply --auto-approve >/dev/null 2>&1
stop_emulator
jq '.templates |= with_entries(.value.description |= sub("\\s*\\[b24flow:[^\\]]*\\]\\s*$"; " (hand-made)"))' \
  "$work/seed.json" > "$work/seed-unmanaged.json"
unmanaged_of() { jq -S '[.templates[] | select(.description | test("\\[b24flow:") | not)]' "$1"; }
unmanaged_of "$work/seed-unmanaged.json" > "$work/unmanaged.expected"

declare -A converged=( [batch]=0 [no-batch]=0 ) broke=( [batch]=0 [no-batch]=0 )
declare -A dups_mid=( [batch]=0 [no-batch]=0 ) partial=( [batch]=0 [no-batch]=0 )
for mode in batch no-batch; do
  flag=(); [ "$mode" = no-batch ] && flag=(--no-batch)
  for t in $(seq 1 "$TRIALS"); do
    p=$work/p; rm -rf "$p"; cp -r "$tpl" "$p"
    state=$work/state.json; cp "$work/seed-unmanaged.json" "$state"
    start_emulator "$state" --latency-ms "$LATENCY" --faults "$FAULTS,seed:$t"
    k=$(( 1 + (t * 37) % N ))
    B24FLOW_ACCESS_TOKEN=$TOKEN NO_COLOR=1 "$BIN" -q -C "$p" apply --auto-approve "${flag[@]}" >/dev/null 2>&1 &
    app=$!
    for _ in $(seq 20000); do  # up to a few minutes on a loaded machine
      kill -0 "$app" 2>/dev/null || break
      # Count managed templates (the marker in a template's description), not text.
      [ "$(jq '[.templates[] | select(.description | test("\\[b24flow:"))] | length' "$state" 2>/dev/null || echo 0)" -ge "$k" ] && break
      sleep 0.01
    done
    # Did apply stop by itself (a fault it refused to guess past) before the kill?
    ended=killed
    kill -0 "$app" 2>/dev/null || ended=exited
    kill -9 "$app" 2>/dev/null || true
    first_rc=0; wait "$app" 2>/dev/null || first_rc=$?
    [ "$ended" = exited ] && ended="exited($first_rc)"
    stop_emulator
    mid=$(jq '[.templates[] | .description | capture("\\[b24flow:(?<id>[^@]+)@") | .id] | group_by(.) | map(select(length > 1)) | length' "$state")
    [ "$mid" -gt 0 ] && dups_mid[$mode]=$(( dups_mid[$mode] + 1 ))
    written=$(jq '[.templates[] | select(.description | test("\\[b24flow:"))] | length' "$state")
    start_emulator "$state"
    rc=0
    out=$(B24FLOW_ACCESS_TOKEN=$TOKEN NO_COLOR=1 "$BIN" -C "$p" apply --auto-approve 2>&1) || rc=$?
    how=plain
    if [ $rc -ne 0 ] && grep -q "no longer running" <<<"$out"; then
      how=break-lock; rc=0
      out=$(B24FLOW_ACCESS_TOKEN=$TOKEN NO_COLOR=1 "$BIN" -C "$p" apply --auto-approve --break-lock 2>&1) || rc=$?
    fi
    stop_emulator
    per=$(jq -c '[.templates[] | .description | capture("\\[b24flow:(?<id>[^@]+)@") | .id] | group_by(.) | map(length) | {workflows: length, max: (max // 0), min: (min // 0)}' "$state")
    unmanaged_of "$state" > "$work/unmanaged.now"
    same=no; cmp -s "$work/unmanaged.expected" "$work/unmanaged.now" && same=yes
    ok=no
    if [ $rc -eq 0 ] && [ "$per" = "{\"workflows\":$N,\"max\":1,\"min\":1}" ] && [ $same = yes ]; then
      ok=yes; converged[$mode]=$(( converged[$mode] + 1 ))
    else
      broke[$mode]=$(( broke[$mode] + 1 ))
    fi
    [ "$how" = break-lock ] && partial[$mode]=$(( partial[$mode] + 1 ))
    printf '%-8s trial %2d kill-at=%2d written-before-kill=%3d first-run=%-10s dups-after-kill=%d follow-up=%-10s rc=%d %s unmanaged-intact=%s converged=%s\n' \
      "$mode" "$t" "$k" "$written" "$ended" "$mid" "$how" "$rc" "$per" "$same" "$ok"
  done
done
echo
echo "| mode | trials | converged | not converged | duplicates right after the kill | follow-up needed --break-lock |"
echo "|---|---:|---:|---:|---:|---:|"
for mode in batch no-batch; do
  echo "| $mode | $TRIALS | ${converged[$mode]} | ${broke[$mode]} | ${dups_mid[$mode]} | ${partial[$mode]} |"
done
