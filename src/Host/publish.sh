#!/usr/bin/env bash
# A native delaysim for this machine: compiled ahead of time by .NET's ILC (Native AOT) for the CPU it is built on, with
# no JIT at run time: the fastest start (0.2 s less per run than the Release build, docs/PERFORMANCE.md). About two
# minutes and 60 MB; needs clang (or gcc) and zlib's headers (Debian: apt-get install clang zlib1g-dev), which
# .ci/run installs. The files a run writes are the same bytes as with any other build (CI compares them).
# Usage: bash src/Host/publish.sh OUT   then   OUT/delaysim run
# It publishes a copy of the working tree (uncommitted changes included), so the repository's own bin/ and obj/ keep
# their framework-dependent build.
set -euo pipefail
out=${1:?usage: bash src/Host/publish.sh OUT}
mkdir -p "$out"
out=$(cd "$out" && pwd)
cd "$(dirname "$0")/../.."
copy=$(mktemp -d)
trap 'rm -rf "$copy"' EXIT
sources=(src config scenarios bench/Workloads Directory.Build.props Directory.Packages.props)
if [ "$(git rev-parse --show-toplevel 2> /dev/null)" = "$(pwd)" ]; then
  # Tracked and new files, minus those deleted and not yet committed (tar skips what it cannot read).
  git ls-files -z --cached --others --exclude-standard -- "${sources[@]}" \
    | tar --null --ignore-failed-read -T - -cf - 2> /dev/null | tar -xf - -C "$copy"
else
  tar -cf - --exclude=bin --exclude=obj "${sources[@]}" | tar -xf - -C "$copy"
fi
rid=$(dotnet --info | awk '/^ *RID:/ { print $2; exit }')
dotnet publish "$copy/src/Host" -c Release -r "${rid:-linux-x64}" --self-contained -p:PublishAot=true -o "$out" -v quiet -nologo
echo "wrote $out/delaysim"
