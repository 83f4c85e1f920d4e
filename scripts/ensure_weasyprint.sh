#!/usr/bin/env bash
# The system libraries WeasyPrint needs for the custody PDFs (Pango, HarfBuzz, fontconfig)
# and fonts with the Welsh letters ŵ and ŷ. Installs Debian's packages when run as root;
# otherwise prints the command. Quick when everything is there. Used by `make test` and
# `make demo` (scripts/test.sh, scripts/demo.sh).
set -euo pipefail
cd "$(dirname "$0")/.."

PY=${PY:-.venv/bin/python}
PACKAGES=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 fontconfig
    fonts-dejavu-core fonts-liberation)

libraries_ok() { "$PY" -c "import weasyprint" >/dev/null 2>&1; }
# fc-list prints the fonts that have both U+0175 (ŵ) and U+0177 (ŷ).
fonts_ok() { command -v fc-list >/dev/null && [[ -n $(fc-list ':charset=175 177' family) ]]; }

if libraries_ok && fonts_ok; then
    exit 0
fi
if [[ $(id -u) -ne 0 ]]; then
    echo "WeasyPrint's system libraries or a font with ŵ and ŷ are missing. Install them:" >&2
    echo "  sudo apt-get install ${PACKAGES[*]}" >&2
    exit 1
fi
echo "Installing Debian's packages for WeasyPrint: ${PACKAGES[*]}"
apt-get update -q
DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${PACKAGES[@]}"
libraries_ok || { echo "WeasyPrint still cannot load its libraries:" >&2; "$PY" -c "import weasyprint"; }
fonts_ok || { echo "No font with ŵ and ŷ was found (fc-list)." >&2; exit 1; }
