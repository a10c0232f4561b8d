#!/usr/bin/env bash
# Vendor the editor's browser code into the package: Decap CMS and js-yaml, at the pinned
# versions below, fetched with npm from the npm registry and checked against the
# registry's integrity hashes. Only the files /admin/ loads are kept (the lazily loaded
# code-editor modes and image encoder of Decap are not: the generated configuration uses
# neither), with their licences. Run it to update, then change the versions in
# src/cityprofiles/cms/admin/VENDOR.md and run the editor's tests (pytest -k cms).
set -euo pipefail
cd "$(dirname "$0")/.."

DECAP=3.16.3
DECAP_INTEGRITY='sha512-hf+dPlCh7TJmWl8+6VRzHYOWhri5xgUknrZbDewaWe4s9B7xJ8PQugp2QHeSldMUKzav6+z0oIpwUYhUJDYtYw=='
# Decap's own LICENSE ships in decap-server (same repository, same licence), not in decap-cms.
DECAP_SERVER=3.11.3
JSYAML=4.3.2
JSYAML_INTEGRITY='sha512-SFNOvSJ+Dgf/9An904Yx+CgSlIPCkIpao4qo51lpee25TIRejdH3rhR4EZMGoNx3/TP3O+wzWuiTFl4sqbltzA=='
OUT=src/cityprofiles/cms/admin

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

fetch() {  # fetch NAME VERSION [INTEGRITY] -> unpacked into $work/NAME
  local name=$1 version=$2 integrity=${3:-}
  local tarball
  tarball=$(cd "$work" && npm pack --silent "$name@$version")
  if [ -n "$integrity" ]; then
    local actual
    actual="sha512-$(openssl dgst -sha512 -binary "$work/$tarball" | base64 -w0)"
    if [ "$actual" != "$integrity" ]; then
      echo "vendor_cms.sh: $name@$version does not match its pinned integrity hash" >&2
      exit 1
    fi
  fi
  mkdir -p "$work/$name"
  tar -xzf "$work/$tarball" -C "$work/$name"
}

fetch decap-cms "$DECAP" "$DECAP_INTEGRITY"
fetch decap-server "$DECAP_SERVER"
fetch js-yaml "$JSYAML" "$JSYAML_INTEGRITY"

cp "$work/decap-cms/package/dist/decap-cms.js" "$OUT/decap-cms.js"
cp "$work/decap-cms/package/dist/decap-cms.js.LICENSE.txt" "$OUT/decap-cms.js.LICENSE.txt"
cp "$work/decap-server/package/LICENSE" "$OUT/decap-cms.LICENSE.txt"
cp "$work/js-yaml/package/dist/js-yaml.min.js" "$OUT/js-yaml.min.js"
cp "$work/js-yaml/package/LICENSE" "$OUT/js-yaml.LICENSE.txt"
# The bundle names the source map it was built with; the map is not shipped.
sed -i 's|^//# sourceMappingURL=.*$||' "$OUT/decap-cms.js" "$OUT/js-yaml.min.js"
echo "Vendored decap-cms $DECAP and js-yaml $JSYAML into $OUT"
