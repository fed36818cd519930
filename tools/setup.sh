#!/usr/bin/env bash
# Install what diglot needs on a fresh Debian/Ubuntu machine: poppler-utils
# (pdftotext, pdftoppm, pdffonts for tests and previews), HarfBuzz's subsetter
# (fast font subsetting in WeasyPrint), Chromium and chromedriver (the
# browser test of `diglot serve`), then a virtualenv in .venv with diglot
# and its Python dependencies, fonts included (from PyPI: nothing is downloaded
# at run time). Safe to run again: it only installs what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${VENV:-.venv}
PYTHON=${PYTHON:-python3}

need=()
command -v pdftotext >/dev/null 2>&1 || need+=(poppler-utils)
ldconfig -p 2>/dev/null | grep -q libharfbuzz-subset || need+=(libharfbuzz-subset0)
"$PYTHON" -c "import venv, ensurepip" >/dev/null 2>&1 || need+=(python3-venv)
# Headless Chromium and its WebDriver: the browser test of diglot serve.
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v chromedriver >/dev/null 2>&1 || need+=(chromium-driver)
if [ ${#need[@]} -gt 0 ]; then
  if command -v apt-get >/dev/null 2>&1; then
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    echo "setup: installing ${need[*]}"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need[@]}" >/dev/null
  else
    echo "setup: please install ${need[*]} with your package manager" >&2
  fi
fi

if [ ! -x "$VENV/bin/python" ]; then
  echo "setup: creating $VENV"
  "$PYTHON" -m venv "$VENV"
fi
"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -e ".[dev]"
# An editable install leaves diglot's own modules uncompiled, and where
# PYTHONDONTWRITEBYTECODE is set (CI images, containers) every command
# compiled them again: 0.1 s of each build. A module edited later is
# compiled in memory as usual (Python checks the source's time stamp).
"$VENV/bin/python" -m compileall -q tools/diglot >/dev/null
touch "$VENV/.installed"
echo "setup: ready ($("$VENV/bin/diglot" --version))"
