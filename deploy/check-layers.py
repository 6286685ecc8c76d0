#!/usr/bin/env python3
"""Fails on any #include that runs from a lower layer up to a higher one.

The layers are written once, in the "Layout" table of the root README.md: one
row per folder, its layer number first. A file may include files from its own
folder and from folders on strictly lower layers; folders that share a layer
do not include each other. A row whose folder ends in "**" covers every folder
below it (the tests). Every folder that holds C++ sources must have a row, so
a new folder cannot slip past the check. Generated headers ("vagt/v1/...")
belong to proto/; headers from outside the tree (absl, rocksdb, ...) are not
checked.

  python3 deploy/check-layers.py          # from anywhere inside the tree
"""

import pathlib
import re
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
ROW = re.compile(r"^\|\s*(\d+)\s*\|\s*`([^`]+)`\s*\|")
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"')
GENERATED = "vagt/v1/"


def read_layers():
  """Maps each folder ("services/lines", "tests/**") to its layer."""
  lines = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
  try:
    start = lines.index("## Layout")
  except ValueError:
    sys.exit("check-layers: README.md has no '## Layout' section")
  layers = {}
  for line in lines[start + 1:]:
    if line.startswith("#"):
      break
    if m := ROW.match(line):
      folder = m.group(2).rstrip("/")
      if folder in layers:
        sys.exit(f"check-layers: README.md lists '{folder}/' twice")
      layers[folder] = int(m.group(1))
  if not layers:
    sys.exit("check-layers: the Layout table in README.md has no rows")
  return layers


def folder_of(path, layers):
  """The table's folder for a file or folder path, or None."""
  d = str(pathlib.PurePosixPath(path).parent)
  if d in layers:
    return d
  for folder in layers:
    if folder.endswith("/**") and (d + "/").startswith(folder[:-2]):
      return folder
  return None


def sources():
  out = subprocess.run(["git", "ls-files", "--cached", "--others",
                        "--exclude-standard", "*.cc", "*.h"],
                       cwd=ROOT, check=True, capture_output=True, text=True)
  return [p for p in out.stdout.split() if (ROOT / p).is_file()]


def main():
  layers = read_layers()
  problems = []
  for path in sources():
    here = folder_of(path, layers)
    if here is None:
      problems.append(f"{path}: its folder has no row in README.md's Layout "
                      "table")
      continue
    text = (ROOT / path).read_text(encoding="utf-8", errors="replace")
    for number, line in enumerate(text.splitlines(), 1):
      m = INCLUDE.match(line)
      if not m:
        continue
      target = m.group(1)
      if target.startswith(GENERATED):
        there = "proto"
      elif (ROOT / target).is_file():
        there = folder_of(target, layers)
      else:
        continue  # outside the tree
      if there is None or there == here:
        continue  # an unlisted target is reported as its own file
      if layers[there] >= layers[here]:
        relation = "above" if layers[there] > layers[here] else "beside"
        problems.append(
            f"{path}:{number}: includes {target}, on layer {layers[there]} "
            f"({there}/), {relation} its own layer {layers[here]} ({here}/)")
  for p in problems:
    print(p, file=sys.stderr)
  if problems:
    print(f"check-layers: {len(problems)} include(s) against the layers in "
          "README.md's Layout table", file=sys.stderr)
    return 1
  print(f"check-layers: {len(sources())} files, {len(layers)} folders, "
        "every include runs down")
  return 0


if __name__ == "__main__":
  sys.exit(main())
