#!/bin/sh
# Fills fuzz/corpus/<target>/ from testdata/ (the corpus is not committed; libFuzzer adds to it).
# Two-text targets (relabel, targets) get pairs joined by a NUL byte. Run from anywhere.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
data="$here/../testdata"
for t in load lint render migrate crd_cel check_config; do
  mkdir -p "$here/corpus/$t"
  find "$data" -type f \( -name '*.yaml' -o -name '*.yml' -o -name '*.json' \) | while read -r f; do
    cp "$f" "$here/corpus/$t/$(echo "$f" | sed "s|^$data/||; s|/|_|g")"
  done
done
pairs() { # target, the first texts, the second texts
  mkdir -p "$here/corpus/$1"
  for a in $2; do
    for b in $3; do
      { cat "$a"; printf '\0'; cat "$b"; } > "$here/corpus/$1/$(basename "$a")+$(basename "$b")"
    done
  done
}
pairs relabel "$(ls "$data"/relabel/*)" "$(ls "$data"/relabel/*)"
pairs targets "$data/simulate/targets/prometheus.yml $(ls "$data"/promconfig/good/*)" \
  "$(ls "$data"/simulate/targets/* "$data"/simulate/kubernetes/*)"
echo "corpus: $(find "$here/corpus" -type f | wc -l) files"
