#!/usr/bin/env bash
# Times `b24flow compile` on 10,000 generated specs: a cold compile (every spec parsed
# and written) and a warm `compile --check` (every lockfile read and compared).
# Usage: bench/compile.sh [COUNT]   (default 10000)
set -euo pipefail
count=${1:-10000}
here=$(cd "$(dirname "$0")/.." && pwd)
cargo build --release --quiet --manifest-path "$here/Cargo.toml"
bin="$here/target/release/b24flow"
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

phrases=(
  "When a deal is won, send a WhatsApp message to the client"
  "Create a follow-up task for the sales manager when a new lead is created"
  "Send an email to the client when their invoice is overdue"
  "When a lead is converted, assign it to the sales manager"
  "When a deal moves to stage PREPARATION, add a comment \"Preparing deal\""
  "When a new contact is created, send an SMS to the client and notify the responsible person"
  "When a deal is lost, create a task \"Review lost deal\" for the manager due in 3 days"
  "When a new company is created, call https://hooks.example.com/new-company"
)
mkdir -p "$dir/workflows"
for ((i = 0; i < count; i++)); do
  group=$((i / 500))
  mkdir -p "$dir/workflows/g$group"
  printf '%s (%d)\n' "${phrases[i % ${#phrases[@]}]}" "$i" > "$dir/workflows/g$group/w$i.txt"
done

cd "$dir"
ms() { date +%s%N | cut -c1-13; }
t0=$(ms); "$bin" compile --quiet; t1=$(ms)
"$bin" compile --check --quiet; t2=$(ms)
"$bin" compile --check --quiet; t3=$(ms)
printf 'specs: %d\n' "$count"
printf 'compile (cold):          %5d ms   (target < 2000 ms)\n' $((t1 - t0))
printf 'compile --check (warm):  %5d ms   (target <  500 ms; first run %d ms)\n' $((t3 - t2)) $((t2 - t1))
