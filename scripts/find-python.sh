#!/usr/bin/env bash
# Prints the path of the Python named in .python-version (pyenv's, or python3.12 on PATH); never downloads one.
set -euo pipefail
want=$(cat "$(dirname "$0")/../.python-version")
for candidate in "${PYENV_ROOT:-$HOME/.pyenv}/versions/$want/bin/python3" "$(command -v "python${want%.*}" || true)"; do
  if [[ -n "$candidate" && -x "$candidate" ]]; then echo "$candidate"; exit 0; fi
done
echo "Python $want tidak ditemukan. Pasang dengan 'pyenv install $want' atau sediakan python${want%.*} di PATH." >&2
exit 1
