#!/usr/bin/env bash
# Runs every fuzz target for SECONDS (default 240) each, one after the
# other, one job each, seeding from fuzz/seeds/. Logs go to fuzz/logs/.
# Usage: bash fuzz/run-all.sh [SECONDS] [TARGET...]
set -u
cd "$(dirname "$0")"
secs="${1:-240}"
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(parse_policy read_playground simulate_json authorize lint import analysis)
fi
mkdir -p logs
export RUSTC_BOOTSTRAP=1
for t in "${targets[@]}"; do
  case "$t" in
    parse_policy | lint) seeds=(seeds/policies seeds/playground) ;;
    read_playground | simulate_json) seeds=(seeds/playground) ;;
    events) seeds=(seeds/events) ;;
    import) seeds=(seeds/import) ;;
    analysis) seeds=(seeds/analysis) ;;
    *) seeds=() ;;
  esac
  mkdir -p "corpus/$t"
  echo "== $t for ${secs}s"
  cargo fuzz run "$t" "corpus/$t" "${seeds[@]}" -- \
    -max_total_time="$secs" -timeout=10 -rss_limit_mb=4096 -print_final_stats=1 \
    >"logs/$t.log" 2>&1
  echo "   exit $? ($(grep -c '^#' "logs/$t.log") status lines; last: $(grep -E '^#[0-9]+' "logs/$t.log" | tail -1))"
done
