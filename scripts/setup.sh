#!/usr/bin/env bash
# Idempotent set-up for docr: Debian packages (when missing), npm packages (when the
# lockfile changed), nothing else. Quick when everything is in place. Called by
# `npm start` and `npm test` (prestart/pretest) and by `npm run setup`.
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian packages docr needs at run time. Table A of LANGUAGES.md, LibreOffice for Office
# input, fonts for faithful layout, qpdf/poppler for checks in tests.
APT_PACKAGES=(
  tesseract-ocr tesseract-ocr-osd
  tesseract-ocr-chi-sim tesseract-ocr-chi-tra tesseract-ocr-jpn tesseract-ocr-kor tesseract-ocr-fra
  tesseract-ocr-deu tesseract-ocr-spa tesseract-ocr-por tesseract-ocr-ita tesseract-ocr-rus
  tesseract-ocr-nld tesseract-ocr-pol tesseract-ocr-ces tesseract-ocr-dan tesseract-ocr-fin
  tesseract-ocr-swe tesseract-ocr-nor tesseract-ocr-ell tesseract-ocr-hun tesseract-ocr-bul
  tesseract-ocr-hrv tesseract-ocr-slv tesseract-ocr-tur
  # Vertical Japanese and Chinese (read again with these when a page has vertical lines).
  tesseract-ocr-jpn-vert tesseract-ocr-chi-tra-vert tesseract-ocr-chi-sim-vert
  libreoffice-writer-nogui libreoffice-calc-nogui libreoffice-impress-nogui
  fonts-noto-cjk fonts-liberation2 fonts-crosextra-carlito fonts-crosextra-caladea
  qpdf poppler-utils
  # Fonts for the test pages the suite renders itself (Thai, Devanagari, ...; CJK from fonts-noto-cjk).
  fonts-freefont-ttf
  # The benchmark's peer for scanned PDF → searchable PDF (npm run bench -- --only=pdf).
  ocrmypdf
  # The test suite runs the vendor's samples unmodified: Python, curl, PHP, Go, Java (OkHttp 3
  # and org.json from Debian); the web page's test drives Debian's Chromium.
  python3 python3-requests curl
  php-cli php-curl golang-go default-jdk-headless libokhttp-java libandroid-json-java
  chromium
)

missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing Debian packages: ${missing[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# npm packages: reinstall only when package-lock.json changed since the last install.
stamp=node_modules/.docr-setup-stamp
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "setup: installing npm packages"
  npm ci --no-audit --no-fund --loglevel=error
  # onnxruntime-node ships every platform's binaries (~290 MB); keep only this machine's.
  ort=node_modules/onnxruntime-node/bin/napi-v6
  if [ -d "$ort" ]; then
    plat=$(node -p 'process.platform'); arch=$(node -p 'process.arch')
    for d in "$ort"/*/*; do [ "$d" = "$ort/$plat/$arch" ] || rm -rf "$d"; done
  fi
  echo "$want" > "$stamp"
fi

# The compiled build (dist/): docr's TypeScript as JavaScript, so bin/docr, npm start and the
# engine processes start without tsx. Rebuilt only when a source changed (scripts/build.mjs).
node scripts/build.mjs

# Prepared (folded, quantised) PP-OCR graphs, built once into the model cache so engines start
# in a fraction of a second (src/engines/ppocr/model-cache.ts). A failure here is not fatal:
# engines build them on first use.
node --import tsx scripts/prepare-models.ts || echo "setup: could not prepare the PP-OCR models now; engines will on first use"

# The web page at / (web/ on the SDK): rebuilt when its sources, the SDK's or the packages change.
web_stamp=web/dist/.docr-build-stamp
web_want=$( (cat package-lock.json; find web/src web/index.html web/vite.config.ts sdk/src src/contract -type f | sort | xargs cat) | sha256sum | cut -d' ' -f1)
if [ ! -f "$web_stamp" ] || [ "$(cat "$web_stamp")" != "$web_want" ]; then
  echo "setup: building the web page"
  npx vite build --config web/vite.config.ts
  echo "$web_want" > "$web_stamp"
fi
