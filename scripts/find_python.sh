#!/usr/bin/env bash
# Prints the Python interpreter `make setup` builds the virtualenv with: the first of python3,
# python3.14 … python3.11 whose version is one the pinned packages (constraints.txt) have wheels
# for. Python 3.15 is not among them yet: numpy and contourpy publish no 3.15 wheels at their pins.
set -euo pipefail
oldest=(3 11)
newest=(3 14)
for candidate in python3 python3.14 python3.13 python3.12 python3.11; do
  command -v "$candidate" > /dev/null 2>&1 || continue
  if "$candidate" -c "import sys; sys.exit(not ((${oldest[0]}, ${oldest[1]}) <= sys.version_info[:2] <= (${newest[0]}, ${newest[1]})))"; then
    echo "$candidate"
    exit 0
  fi
done
echo "find_python: no Python ${oldest[0]}.${oldest[1]} to ${newest[0]}.${newest[1]} on PATH (tried python3, python3.14 … python3.11); install one, or name it: make setup PYTHON=/path/to/python3.12" >&2
exit 1
