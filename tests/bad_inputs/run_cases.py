#!/usr/bin/env python3
"""Runs the bad-input corpus of tests/bad_inputs/cases.json against lstmsim and lstmgen.

Each case runs one command on files of this folder and checks what a user would
see: the exit code, fragments of stderr, and that no output file (and no
temporary file next to it) is left behind. Placeholders in args and fragments:

  @CASES@   this folder (the corpus files)
  @SRC@     the project's source folder (configs/*.json)
  @WORK@    an empty scratch folder for the case, also its working directory
  @ENGINE@  (or any other key of "matrix") one value of the case's matrix

Usage:
  run_cases.py --lstmsim BIN --lstmgen BIN --source DIR --work DIR [--case NAME]...
  run_cases.py --list          names, one per line (what CMake registers with ctest)
  run_cases.py --check         every file a case names exists, every corpus file is used
  run_cases.py ... --show      print each command's stderr as well

See docs/reliability.md for the fields of a case. Only the standard library.
"""
import argparse
import json
import os
import re
import resource
import shutil
import signal
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
OUTPUT_OPTIONS = ("--output", "--out", "--model-out", "--input-out", "--trace", "--write-config")
NAME_RE = re.compile(r"^[A-Za-z0-9_.-]+$")
KNOWN_FIELDS = {"name", "description", "command", "args", "matrix", "exit", "stderr_contains",
                "stderr_excludes", "no_output", "setup", "timeout", "rtl_cache", "stack_kb", "defect"}


def load_cases(path):
    """The table with every matrix expanded: one dict per ctest entry."""
    with open(path, encoding="utf-8") as f:
        table = json.load(f)
    cases = []
    for case in table:
        unknown = set(case) - KNOWN_FIELDS
        if unknown:
            raise ValueError(f"case {case.get('name')}: unknown fields {sorted(unknown)}")
        matrix = case.get("matrix") or {}
        if len(matrix) > 1:
            raise ValueError(f"case {case['name']}: matrix takes one placeholder")
        if not matrix:
            cases.append(dict(case, bindings={}))
            continue
        (key, values), = matrix.items()
        for value in values:
            cases.append(dict(case, name=f"{case['name']}.{value}", bindings={key: value}))
    names = [c["name"] for c in cases]
    for c in cases:
        if not NAME_RE.match(c["name"]):
            raise ValueError(f"case name {c['name']!r}: use letters, digits, '_', '-', '.'")
        if names.count(c["name"]) > 1:
            raise ValueError(f"case name {c['name']!r} appears twice")
    return cases


def check_table(cases):
    """Problems with the table itself: missing files, unused files, bad fields."""
    problems = []
    used = set()
    for c in cases:
        for field in ("name", "command", "args", "exit"):
            if field not in c:
                problems.append(f"{c.get('name')}: no {field!r}")
        if c.get("command") not in ("lstmsim", "lstmgen"):
            problems.append(f"{c['name']}: command must be lstmsim or lstmgen")
        exit_code = c.get("exit")
        if not (isinstance(exit_code, int) or exit_code in ("crash", "timeout")):
            problems.append(f"{c['name']}: exit must be an integer, \"crash\" or \"timeout\"")
        for text in c.get("args", []) + c.get("stderr_contains", []):
            for token in re.findall(r"@CASES@/[^\s:',]+", text):
                rel = token[len("@CASES@/"):]
                used.add(rel)
                if not os.path.exists(os.path.join(HERE, rel)):
                    problems.append(f"{c['name']}: {token} does not exist")
    for sub in ("configs", "models", "inputs"):
        for name in sorted(os.listdir(os.path.join(HERE, sub))):
            if f"{sub}/{name}" not in used:
                problems.append(f"{sub}/{name} is not used by any case")
    return problems


def substitute(text, places):
    for key, value in places.items():
        text = text.replace(key, value)
    return text


def snapshot(folder):
    """Every path under folder (relative) with its kind and size."""
    found = {}
    for root, dirs, files in os.walk(folder):
        for name in dirs + files:
            full = os.path.join(root, name)
            rel = os.path.relpath(full, folder)
            found[rel] = "dir" if os.path.isdir(full) else os.path.getsize(full)
    return found


def describe_exit(code):
    if code is None:
        return "still running at the timeout"
    if code < 0:
        try:
            return f"killed by {signal.Signals(-code).name}"
        except ValueError:
            return f"killed by signal {-code}"
    return f"exit {code}"


def run_case(case, opts, show):
    """Returns a list of problems (empty: the case passed) and the report lines."""
    work_root = os.path.abspath(opts.work)
    work = os.path.join(work_root, case["name"])
    cache = os.path.join(work_root, case["name"] + ".rtl-cache")
    for path in (work, cache):
        shutil.rmtree(path, ignore_errors=True)
    os.makedirs(work)
    places = {"@CASES@": HERE, "@SRC@": os.path.abspath(opts.source), "@WORK@": work}
    places.update(case["bindings"])

    setup = case.get("setup", {})
    for d in setup.get("dirs", []):
        os.makedirs(os.path.join(work, d), exist_ok=True)
    for rel, text in setup.get("files", {}).items():
        full = os.path.join(work, rel)
        os.makedirs(os.path.dirname(full), exist_ok=True)
        with open(full, "w", encoding="utf-8") as f:
            f.write(text)
    before = snapshot(work)

    binary = os.path.abspath({"lstmsim": opts.lstmsim, "lstmgen": opts.lstmgen}[case["command"]])
    args = [substitute(a, places) for a in case["args"]]
    argv = [binary] + args
    env = dict(os.environ, LSTM_RTL_CACHE=cache)
    timeout = case.get("timeout", 60)
    stack_kb = case.get("stack_kb")

    def limits():  # runs in the child: no core files; optionally a smaller stack
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        if stack_kb:
            resource.setrlimit(resource.RLIMIT_STACK, (stack_kb * 1024, stack_kb * 1024))

    start = time.monotonic()
    proc = subprocess.Popen(argv, cwd=work, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, start_new_session=True, preexec_fn=limits)
    try:
        out, err = proc.communicate(timeout=timeout)
        code = proc.returncode
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)  # the session this runner started for it
        out, err = proc.communicate()
        code = None
    seconds = time.monotonic() - start
    stdout = out.decode("utf-8", "replace")
    stderr = err.decode("utf-8", "replace")

    problems = []
    want = case["exit"]
    if want == "timeout":
        if code is not None:
            problems.append(f"expected to be still running after {timeout} s, got "
                            f"{describe_exit(code)}")
    elif want == "crash":
        crashed = code is not None and (code < 0 or "Sanitizer" in stderr)
        if not crashed:
            problems.append(f"expected a crash (signal or sanitizer report), got "
                            f"{describe_exit(code)}")
    elif code != want:
        problems.append(f"expected exit {want}, got {describe_exit(code)}")

    for fragment in case.get("stderr_contains", []):
        fragment = substitute(fragment, places)
        if fragment not in stderr:
            problems.append(f"stderr lacks {fragment!r}")
    excludes = list(case.get("stderr_excludes", []))
    if want == 2:
        excludes += ["internal error", "terminate called", "Sanitizer"]
    for fragment in excludes:
        if substitute(fragment, places) in stderr:
            problems.append(f"stderr contains {fragment!r}")

    if case.get("no_output", False):
        for opt, value in zip(args, args[1:]):
            if opt not in OUTPUT_OPTIONS:
                continue
            target = os.path.join(work, value)
            rel = os.path.relpath(target, work)
            if os.path.exists(target) and before.get(rel) is None:
                problems.append(f"{opt} {value} was written")
            parent = os.path.dirname(os.path.abspath(target.rstrip("/")))
            stem = os.path.basename(target.rstrip("/"))
            if os.path.isdir(parent):
                for name in os.listdir(parent):
                    if name.startswith(stem + ".tmp-") or name.startswith(stem + ".old-"):
                        problems.append(f"temporary {os.path.join(parent, name)} left behind")
        after = snapshot(work)
        for rel in sorted(set(after) - set(before)):
            problems.append(f"new file {rel} in the work folder")
        for rel in sorted(set(before) - set(after)):
            problems.append(f"{rel} (made before the run) is gone")
        for rel in sorted(set(before) & set(after)):
            if before[rel] != after[rel]:
                problems.append(f"{rel} (made before the run) changed")

    rtl_cache = case.get("rtl_cache", "untouched")
    if rtl_cache == "untouched" and os.path.exists(cache):
        problems.append("the rtl engine generated or built RTL (LSTM_RTL_CACHE was written) "
                        "instead of refusing first")
    if rtl_cache == "used" and not os.path.exists(cache):
        problems.append("expected the rtl engine to start generating RTL")

    report = [f"$ {' '.join(argv)}", f"  -> {describe_exit(code)} after {seconds:.1f} s"]
    if show or problems:
        report += ["  stderr: " + line for line in stderr.splitlines()[:40]]
        if problems:
            report += ["  stdout: " + line for line in stdout.splitlines()[:10]]
    if not problems:
        shutil.rmtree(work, ignore_errors=True)
        shutil.rmtree(cache, ignore_errors=True)
    return problems, report


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--cases", default=os.path.join(HERE, "cases.json"))
    p.add_argument("--lstmsim")
    p.add_argument("--lstmgen")
    p.add_argument("--source", default=os.path.dirname(os.path.dirname(HERE)))
    p.add_argument("--work", default="bad_inputs_work")
    p.add_argument("--case", action="append", help="run only this case (repeatable)")
    p.add_argument("--list", action="store_true", help="print the case names and exit")
    p.add_argument("--check", action="store_true",
                   help="check the table (every file exists and is used) and exit")
    p.add_argument("--show", action="store_true", help="print every command's stderr")
    opts = p.parse_args()

    cases = load_cases(opts.cases)
    if opts.check:
        problems = check_table(cases)
        for problem in problems:
            print(f"problem: {problem}")
        print(f"{len(cases)} cases, table {'has problems' if problems else 'ok'}")
        return 1 if problems else 0
    if opts.list:
        for c in cases:
            print(c["name"])
        return 0
    if not opts.lstmsim or not opts.lstmgen:
        p.error("--lstmsim and --lstmgen are required")
    if opts.case:
        by_name = {c["name"]: c for c in cases}
        missing = [n for n in opts.case if n not in by_name]
        if missing:
            p.error(f"no such case: {', '.join(missing)}")
        cases = [by_name[n] for n in opts.case]

    failed = []
    defects = 0
    for case in cases:
        problems, report = run_case(case, opts, opts.show)
        status = "FAIL" if problems else "ok"
        print(f"{status}: {case['name']}: {case.get('description', '')}")
        for line in report:
            print(line)
        for problem in problems:
            print(f"  problem: {problem}")
        if case.get("defect"):
            defects += 1
            print(f"  KNOWN DEFECT (recorded as it behaves now): {case['defect']}")
        if problems:
            failed.append(case["name"])
    print(f"{len(cases) - len(failed)} of {len(cases)} cases passed"
          f"{f', {defects} record known defects' if defects else ''}")
    if failed:
        print("failed: " + ", ".join(failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
