#!/usr/bin/env bash
# Vendor the JavaScript that shows widget snapshots in the static website, so a
# page never loads it from a CDN. Both packages come from the npm registry:
#   @jupyter-widgets/html-manager (embed-amd.js, its chunks and fonts; BSD-3-Clause)
#   requirejs (require.js; MIT)
# The files go to book/_static/widgets/ (not committed; `make book` runs this).
set -euo pipefail
cd "$(dirname "$0")/.."
target=book/_static/widgets
html_manager=@jupyter-widgets/html-manager@1.0.6
requirejs=requirejs@2.3.4
stamp="$target/.versions"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$html_manager $requirejs" ]; then
  exit 0
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "$html_manager" "$requirejs" >/dev/null)
mkdir -p "$work/hm" "$work/rq"
tar -xzf "$work"/jupyter-widgets-html-manager-*.tgz -C "$work/hm"
tar -xzf "$work"/requirejs-*.tgz -C "$work/rq"
rm -rf "$target"
mkdir -p "$target"
# embed-amd.js loads its numbered chunks and fonts from its own folder
find "$work/hm/package/dist" -maxdepth 1 -type f ! -name '*.map' ! -name 'embed.js' ! -name 'libembed-amd.js' \
  -exec cp {} "$target/" \;
cp "$work/hm/package/LICENSE" "$target/LICENSE.html-manager"
cp "$work/rq/package/require.js" "$target/require.js"
# require.js carries its MIT licence in its header
echo "$html_manager $requirejs" > "$stamp"
echo "widget JavaScript vendored into $target"
