#!/usr/bin/env bash
# Builds front-end assets from npm packages into build/static (not committed).
set -euo pipefail
cd "$(dirname "$0")/.."
npm ci --no-audit --no-fund --loglevel=error
mkdir -p build/static/css build/static/govuk
npm run --silent build
cp node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js build/static/govuk/
rm -rf build/static/govuk/assets
cp -r node_modules/govuk-frontend/dist/govuk/assets build/static/govuk/assets
