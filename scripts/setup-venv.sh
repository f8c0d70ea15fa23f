#!/usr/bin/env bash
# Creates .venv/: Debian's Python 3 with Debian's packages visible (numpy,
# pandas, matplotlib, Dask, pytest, nbclient; PyPI is not reachable here), the
# cbsim package importable from build/python (the build assembles it there),
# and a Jupyter kernel "cbsim" that uses this environment.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x .venv/bin/python ]; then
  /usr/bin/python3 -m venv --system-site-packages .venv
fi
site=$(.venv/bin/python -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
echo "$PWD/build/python" > "$site/cbsim.pth"
if [ ! -f .venv/share/jupyter/kernels/cbsim/kernel.json ]; then
  # (the variable silences a debugger warning ipykernel prints about frozen modules)
  PYDEVD_DISABLE_FILE_VALIDATION=1 .venv/bin/python -m ipykernel install --sys-prefix --name cbsim \
    --display-name "Python (cbsim)" >/dev/null
fi
.venv/bin/python -c "import cbsim._core" || { echo "setup-venv: cbsim is not importable; run make build" >&2; exit 1; }
