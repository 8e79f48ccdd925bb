#!/usr/bin/env python3
"""Checks docs/architecture.md's code map against the code.

usage: check_layers.py REPO

The code map (section "Code map") lists the parts in layer order and what each
may include. This checks, over the files git knows:
  - every `#include "..."` of a part's sources names a part (`"sim/x.hpp"`) that
    is the file's own part or one the map lets it include; the only includes
    that name no part are Verilator's generated model headers (`"Vname.h"`);
  - the tests' includes name a part or `tests/` too;
  - no CMakeLists.txt links a part's library into a part below it;
  - no CMakeLists.txt edits a target another folder defines.
Prints every disagreement with its file; exit 1 if there is one (also when
the code map cannot be read).
"""
import pathlib
import re
import subprocess
import sys

VERILATED = re.compile(r"V\w+\.h$")
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)
ROW = re.compile(r"^\| `(\w+)/` \|.*\| (.*) \|$", re.M)


def code_map(repo):
    doc = (repo / "docs/architecture.md").read_text()
    m = re.search(r"^## \d+\. Code map$", doc, re.M)
    if not m:
        sys.exit("check_layers: docs/architecture.md has no \"Code map\" section")
    order, allowed = [], {}
    for row in ROW.finditer(doc[m.end():]):
        part, may = row.group(1), row.group(2)
        order.append(part)
        below = set(order[:-1]) if "all of the above" in may else set(re.findall(r"`(\w+)/`", may))
        if not below <= set(order[:-1]):
            sys.exit(f"check_layers: code map: {part}/ may include a part listed after it")
        allowed[part] = below | {part}
    if not order:
        sys.exit("check_layers: the code map lists no parts")
    return order, allowed


def include_problems(repo, files, order, allowed):
    out = []
    for f in files:
        top = f.split("/")[0]
        if top not in allowed and top != "tests":
            continue
        if not re.search(r"\.(cpp|hpp|h)(\.in)?$", f):
            continue
        may = allowed.get(top, set(order) | {"tests"})
        for inc in INCLUDE.findall((repo / f).read_text(errors="replace")):
            head = inc.split("/")[0] if "/" in inc else None
            if head is None:
                if not VERILATED.match(inc):
                    out.append(f"{f}: #include \"{inc}\" names no part")
            elif head not in may:
                out.append(f"{f}: #include \"{inc}\": {top}/ may not include {head}/")
    return out


def cmake_problems(repo, files, order, allowed):
    lists = [f for f in files if f.endswith("CMakeLists.txt")]
    defined = {}  # target -> folder of the CMakeLists.txt that defines it
    for f in lists:
        folder = str(pathlib.Path(f).parent)
        for t in re.findall(r"(?:add_library|add_executable|lstm_add_test)\(\s*([\w-]+)",
                            (repo / f).read_text()):
            defined[t] = folder
    out = []
    for f in lists:
        folder = str(pathlib.Path(f).parent)
        part = folder.split("/")[0]
        text = (repo / f).read_text()
        for m in re.finditer(r"\b(target_\w+|set_target_properties|add_dependencies)\(\s*([\w-]+)",
                             text):
            t = m.group(2)
            if t in defined and defined[t] != folder:
                out.append(f"{f}: {m.group(1)}({t}): {t} is defined in {defined[t]}/")
        if part not in allowed:
            continue
        for m in re.finditer(r"target_link_libraries\(\s*([\w-]+)([^)]*)\)", text):
            for lib in re.findall(r"[\w-]+", m.group(2)):
                lib_part = defined.get(lib, "").split("/")[0]
                if lib_part in allowed and lib_part not in allowed[part]:
                    out.append(f"{f}: {m.group(1)} links {lib} of {lib_part}/, which {part}/ "
                               "may not use")
    return out


def source_files(repo):
    """The files git tracks when REPO is a work tree's top; otherwise (a
    source archive) every file outside hidden folders and build trees."""
    def git(*args):
        return subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True,
                              check=True).stdout
    try:
        if pathlib.Path(git("rev-parse", "--show-toplevel").strip()) == repo.resolve():
            return git("ls-files").split()
    except (OSError, subprocess.CalledProcessError):
        pass
    return sorted(str(p.relative_to(repo)) for p in repo.rglob("*")
                  if p.is_file() and not any(part.startswith((".", "build"))
                                             for part in p.relative_to(repo).parts))


def main():
    repo = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else ".")
    order, allowed = code_map(repo)
    files = source_files(repo)
    problems = (include_problems(repo, files, order, allowed)
                + cmake_problems(repo, files, order, allowed))
    for p in problems:
        print(p)
    print(f"check_layers: code map {' -> '.join(order)}: "
          f"{len(problems)} disagreement(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
