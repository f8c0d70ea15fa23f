#!/usr/bin/env bash
# Runs every libFuzzer target of a fuzz build (make fuzz): first replays
# tests/fuzz/regressions/<target>/, then fuzzes for FUZZ_SECONDS from the seed
# corpus (regenerated from the repository) and the corpus earlier runs grew.
# Fails if any target crashes, hangs (> FUZZ_TIMEOUT s on one input), leaks,
# exceeds FUZZ_RSS_MB or reports a finding; the inputs are kept under
# BUILD/fuzz-findings/<target>/ and printed. A summary (executions, coverage,
# findings per target) is written to BUILD/fuzz-summary.md.
#
# Usage: run-fuzzers.sh BUILD_DIR [TARGET...]   (default: all targets built)
# Environment: FUZZ_SECONDS (60), FUZZ_TIMEOUT (10), FUZZ_RSS_MB (2048),
#              FUZZ_FORK=N to fuzz in N child processes that go on after a
#              finding (for long runs that should collect every finding).
set -uo pipefail

build=${1:?usage: run-fuzzers.sh BUILD_DIR [TARGET...]}
shift
here=$(cd "$(dirname "$0")" && pwd)
seconds=${FUZZ_SECONDS:-60}
timeout_s=${FUZZ_TIMEOUT:-10}
rss_mb=${FUZZ_RSS_MB:-2048}
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  for program in "$build"/fuzz_*; do
    name=${program##*/fuzz_}
    [[ -x $program && $name != replay_* ]] && targets+=("$name")
  done
fi
if [ ${#targets[@]} -eq 0 ]; then
  echo "run-fuzzers: no fuzz_* programs in $build (configure with -DCBSIM_FUZZ=ON)" >&2
  exit 2
fi

# Symbolized traces; leaks are findings; a report stops the run.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:halt_on_error=1:abort_on_error=1:symbolize=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
if command -v llvm-symbolizer-16 >/dev/null; then export ASAN_SYMBOLIZER_PATH=$(command -v llvm-symbolizer-16); fi

/usr/bin/python3 "$here/make_seed_corpus.py" "$build/fuzz-seeds" >/dev/null || exit 1

summary="$build/fuzz-summary.md"
{
  echo "| target | seconds | executions | cov | ft | findings |"
  echo "| --- | ---: | ---: | ---: | ---: | --- |"
} >"$summary"

# Findings of this run only: files newer than this stamp (earlier runs' stay for reference).
stamp="$build/fuzz-logs/.started"
mkdir -p "$build/fuzz-logs"
touch "$stamp"

failed=()
for target in "${targets[@]}"; do
  program="$build/fuzz_$target"
  corpus="$build/fuzz-corpus/$target"
  findings="$build/fuzz-findings/$target"
  log="$build/fuzz-logs/$target.log"
  mkdir -p "$corpus" "$findings" "$(dirname "$log")"
  common=(-timeout="$timeout_s" -rss_limit_mb="$rss_mb" -detect_leaks=1 -artifact_prefix="$findings/")

  status=0
  regressions=("$here/regressions/$target"/*)
  if [ -e "${regressions[0]}" ]; then
    echo "== $target: replaying ${#regressions[@]} regression inputs"
    "$program" "${common[@]}" "${regressions[@]}" >"$log.replay" 2>&1 || status=$?
  fi
  if [ $status -eq 0 ]; then
    echo "== $target: fuzzing for $seconds s"
    dict=()
    [ -f "$build/fuzz-seeds/$target.dict" ] && dict=(-dict="$build/fuzz-seeds/$target.dict")
    fork=()
    [ -n "${FUZZ_FORK:-}" ] && fork=(-fork="$FUZZ_FORK" -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1)
    "$program" "${common[@]}" "${dict[@]}" "${fork[@]}" -max_total_time="$seconds" -print_final_stats=1 \
      "$corpus" "$build/fuzz-seeds/$target" >"$log" 2>&1 || status=$?
  else
    cp "$log.replay" "$log"
  fi

  # The last status line: "#N ... cov: C ft: F ..."; with -fork, "#N: cov: C ft: F ...".
  executions=$(grep -oE 'stat::number_of_executed_units: [0-9]+' "$log" | tail -1 | grep -oE '[0-9]+$')
  [ -z "$executions" ] && executions=$(grep -oE '^#[0-9]+' "$log" | tail -1 | tr -d '#')
  cov=$(grep -oE 'cov: [0-9]+' "$log" | tail -1 | grep -oE '[0-9]+')
  ft=$(grep -oE 'ft: [0-9]+' "$log" | tail -1 | grep -oE '[0-9]+')
  found=$(find "$findings" -type f -newer "$stamp" | wc -l)
  echo "| $target | $seconds | ${executions:-?} | ${cov:-?} | ${ft:-?} | $found |" >>"$summary"

  if [ $status -ne 0 ] || [ "$found" -ne 0 ]; then
    failed+=("$target")
    echo "!! $target: exit status $status; log $log" >&2
    grep -E '^(==[0-9]+==ERROR|SUMMARY|fuzz finding|.*runtime error)' "$log" | head -5 >&2
    find "$findings" -type f -newer "$stamp" | sort | while read -r f; do
      echo "   finding: $f ($(stat -c %s "$f") bytes): $(head -c 120 "$f" | tr -c '[:print:]' '.')" >&2
    done
  fi
done

echo
cat "$summary"
if [ ${#failed[@]} -ne 0 ]; then
  echo "run-fuzzers: findings in: ${failed[*]} (inputs under $build/fuzz-findings/)" >&2
  exit 1
fi
echo "run-fuzzers: no finding"
