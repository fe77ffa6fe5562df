#!/usr/bin/env bash
# Nightly verification: the built-in policies against every invariant of property-dunning/testing
# (the model-based test with disputes, promises and plans included), at far more runs than CI's
# 1,000 and under a fresh seed each night, so that each night explores lives CI never tries.
#
#   bash scripts/nightly-verify.sh                       # 20,000 runs per invariant, a random seed
#   PD_NIGHTLY_RUNS=2000 bash scripts/nightly-verify.sh  # fewer runs (a quick look)
#   PD_NIGHTLY_SEED=1234567 bash scripts/nightly-verify.sh   # replay a night that failed
#
# It builds the package (npm run build; its output is shown only when it fails), then runs `node dist/cli.js verify <policy> --runs N
# --seed S` for every built-in policy the package names (BUILTIN_POLICY_IDS: residential,
# commercial, relative, and any added later). The seed is printed before anything runs; verify
# prints the shrunk counterexample of each failure day by day, and the exact command to replay it
# is printed at the end. Exit status: 0 when every invariant passed for every built-in; otherwise
# the first non-zero status verify returned (1: an invariant failed; 2: usage error), or 2 when
# the build or the environment variables are wrong.
set -euo pipefail

cd "$(dirname "$0")/.."

runs="${PD_NIGHTLY_RUNS:-20000}"
# fast-check takes a 32-bit seed; two $RANDOMs give 30 random bits.
seed="${PD_NIGHTLY_SEED:-$(( (RANDOM << 15) | RANDOM ))}"
if ! [[ "$runs" =~ ^[1-9][0-9]*$ && "$seed" =~ ^[0-9]+$ ]]; then
  echo "nightly-verify: PD_NIGHTLY_RUNS must be a positive integer and PD_NIGHTLY_SEED a non-negative one (got '$runs', '$seed')" >&2
  exit 2
fi

echo "nightly-verify: ${runs} runs per invariant, seed ${seed} (replay with PD_NIGHTLY_SEED=${seed})"
build_log="$(mktemp)"
trap 'rm -f "$build_log"' EXIT
if ! npm run build --silent >"$build_log" 2>&1; then
  cat "$build_log" >&2
  echo "nightly-verify: the build failed" >&2
  exit 2
fi

# The built-ins from the package's own registry, so that a new one cannot be left out of the night.
if ! policies="$(node --input-type=module -e 'import { BUILTIN_POLICY_IDS } from "./dist/index.js"; console.log(BUILTIN_POLICY_IDS.join(" "))')" || [[ -z "$policies" ]]; then
  echo "nightly-verify: could not read the built-in policies from dist/index.js" >&2
  exit 2
fi
echo "nightly-verify: built-in policies: ${policies}"

status=0
failed=()
for policy in $policies; do
  echo
  echo "== ${policy} =="
  code=0
  node dist/cli.js verify "$policy" --runs "$runs" --seed "$seed" || code=$?
  if [[ $code -ne 0 ]]; then
    failed+=("node dist/cli.js verify ${policy} --runs ${runs} --seed ${seed}")
    [[ $status -eq 0 ]] && status=$code
  fi
done

echo
if [[ $status -eq 0 ]]; then
  echo "nightly-verify: every invariant passed for ${policies} (${runs} runs, seed ${seed})"
else
  echo "nightly-verify: FAILED (exit ${status}); replay with:" >&2
  printf '  %s\n' "${failed[@]}" >&2
fi
exit "$status"
