#!/usr/bin/env bash
# promagent lint against check-jsonschema on the same PodMonitor files, in the same run.
#
#   benches/compare.sh [N]      N PodMonitor files (default 1000), 5 runs of each tool
#
# It builds the release binary and the corpus generator, writes N PodMonitor files
# (benches/corpus), derives a strict JSON Schema from promagent's own PodMonitor CRD (every object
# closed with additionalProperties: false, as `kubectl --validate=strict` treats unknown fields),
# installs check-jsonschema from PyPI into a temporary virtualenv, and prints the median wall
# time of each tool and their ratio. check-jsonschema checks the schema only; promagent runs its
# whole lint (schema, CEL, operator rules) on the same files.
set -euo pipefail

N=${1:-1000}
RUNS=${RUNS:-5}
CHECK_JSONSCHEMA_VERSION=${CHECK_JSONSCHEMA_VERSION:-0.39.0}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

cd "$ROOT"
cargo build --release --locked --quiet --bin promagent --example gen-corpus
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
PROMAGENT=$TARGET/release/promagent
"$TARGET/release/examples/gen-corpus" "$N" --files "$WORK/files"
# Only the PodMonitors: the agent file is not an instance of the PodMonitor schema.
rm "$WORK/files/agent.yaml"

"$PROMAGENT" crd --kind PodMonitor --format json | python3 -c '
import json, sys
crd = json.load(sys.stdin)
schema = crd["spec"]["versions"][0]["schema"]["openAPIV3Schema"]
def close(node):
    if isinstance(node, dict):
        if node.get("type") == "object" and "properties" in node and "additionalProperties" not in node:
            node["additionalProperties"] = False
        for value in node.values():
            close(value)
    elif isinstance(node, list):
        for value in node:
            close(value)
close(schema)
# The CRD leaves metadata open; the API server checks it, and so does promagent.
schema["properties"]["metadata"] = {"type": "object"}
json.dump(schema, open(sys.argv[1], "w"))
' "$WORK/podmonitor.strict.json"

python3 -m venv "$WORK/venv"
"$WORK/venv/bin/pip" install --quiet --disable-pip-version-check "check-jsonschema==$CHECK_JSONSCHEMA_VERSION"

# Median wall time of RUNS runs of a command, in seconds; the command must succeed.
median() {
    python3 - "$RUNS" "$@" <<'EOF'
import statistics, subprocess, sys, time
runs, cmd = int(sys.argv[1]), sys.argv[2:]
times = []
for _ in range(runs):
    start = time.perf_counter()
    done = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    times.append(time.perf_counter() - start)
    if done.returncode != 0:
        sys.stderr.write(done.stderr.decode())
        sys.exit(f"{cmd[0]} exited with {done.returncode}")
print(f"{statistics.median(times):.4f}")
EOF
}

files=("$WORK"/files/*.yaml)
ours=$(median "$PROMAGENT" lint --isolated --format concise "$WORK/files")
theirs=$(median "$WORK/venv/bin/check-jsonschema" --schemafile "$WORK/podmonitor.strict.json" "${files[@]}")
echo "files:              $N PodMonitors ($(du -sh "$WORK/files" | cut -f1)), $(nproc) cores, median of $RUNS runs"
echo "promagent lint:     ${ours} s"
echo "check-jsonschema:   ${theirs} s ($CHECK_JSONSCHEMA_VERSION)"
python3 -c "import sys; print(f'ratio:              {float(sys.argv[2]) / float(sys.argv[1]):.1f}x faster')" "$ours" "$theirs"
