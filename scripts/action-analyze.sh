#!/usr/bin/env bash
# The run step of action.yml (test/unit/action/action.test.ts runs it the same way): runs
# `inference-meter analyze --format sarif` over the given paths, writes the SARIF file and sets the step
# outputs. Inputs come as IM_* environment variables, so no workflow expression is ever pasted into shell.
set -euo pipefail

action_path="${IM_ACTION_PATH:-$(cd "$(dirname "$0")/.." && pwd)}"
sarif="${IM_SARIF_FILE:-inference-meter.sarif}"

# The CLI: an explicit one, else this checkout's build (built once when missing: dist/ is not committed).
cli="${INFERENCE_METER_CLI:-$action_path/dist/cli.js}"
if [ ! -f "$cli" ]; then
	echo "inference-meter: building the CLI in $action_path" >&2
	(cd "$action_path" && npm ci --no-audit --no-fund >&2)
fi

# One path per line when there are several lines (paths may hold spaces then), else split on blanks.
paths=()
if [[ "${IM_PATHS:-.}" == *$'\n'* ]]; then
	while IFS= read -r p; do [ -n "$p" ] && paths+=("$p"); done <<<"$IM_PATHS"
else
	read -r -a paths <<<"${IM_PATHS:-.}"
fi
[ "${#paths[@]}" -gt 0 ] || paths=(.)

args=(analyze "${paths[@]}" --format sarif --fail-on "${IM_FAIL_ON:-error}")
[ -n "${IM_MAX_WARNINGS:-}" ] && args+=(--max-warnings "$IM_MAX_WARNINGS")
if [ -n "${IM_ARGS:-}" ]; then
	read -r -a extra <<<"$IM_ARGS"
	args+=("${extra[@]}")
fi

mkdir -p "$(dirname "$sarif")"
set +e
node "$cli" "${args[@]}" >"$sarif"
code=$?
set -e

if [ -n "${GITHUB_OUTPUT:-}" ]; then
	{
		echo "sarif-file=$sarif"
		echo "exit-code=$code"
	} >>"$GITHUB_OUTPUT"
fi
# A usage or config error leaves no usable report: say so rather than upload an empty file.
if [ "$code" -ge 2 ]; then
	rm -f "$sarif"
	echo "inference-meter: analyze failed (exit $code); no SARIF written" >&2
else
	echo "inference-meter: SARIF written to $sarif (exit $code)" >&2
fi
exit "$code"
