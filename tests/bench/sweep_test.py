#!/usr/bin/env python3
"""Whole sweeps on the RTL (tests/bench/sweep-ci.json: configs/small.json in
every mode and auto, plus an invalid config).

  sweep_test.py local LSTMSIM SOURCE_DIR WORK_DIR
      --executor local: every point has a result (the invalid ones with their
      config error), sweep.md, sweep.json and pareto.svg are written, the
      Pareto table is printed; then a shard killed in the middle of its points
      and the sweep run again give the same result, without redoing the
      points that were done.
  sweep_test.py cluster LSTMSIM SOURCE_DIR WORK_DIR
      Starts munged, slurmctld and slurmd on this machine (a one-node cluster
      with its config in WORK_DIR; installs slurm-wlm and munge when missing,
      as root), runs the sweep with --executor slurm as a job array, cancels a
      shard in the middle and runs the sweep again, and checks the merged
      result equals the --executor local result point by point. Every daemon
      it started is stopped when it ends, also on failure. Exits 77 (skipped)
      when not root and Slurm is not installed.

Both use the default RTL build cache (build/<preset>/rtl-cache) so the
verilated small.json is shared with the other RTL tests, and the synthesis is
shared between the two tests.
"""
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time

mode, lstmsim, source, work = sys.argv[1:5]
sweep_file = os.path.join(source, "tests/bench/sweep-ci.json")
problems = []
env = dict(os.environ, LSTM_SWEEP_POLL="0.5")


def fail(message):
    problems.append(message)
    print("FAIL:", message, flush=True)


def finish():
    print("1 passed, 0 failed" if not problems else "0 passed, 1 failed", flush=True)
    sys.exit(1 if problems else 0)


def sweep(out, *extra, check=True):
    """Runs lstmsim sweep to its end; returns (exit code, stdout, stderr)."""
    cmd = [lstmsim, "sweep", "--sweep", sweep_file, "--out", out, *extra]
    print("$", " ".join(cmd), flush=True)
    t0 = time.monotonic()
    run = subprocess.run(cmd, capture_output=True, text=True, env=env)
    print(run.stdout)
    print(run.stderr, file=sys.stderr)
    print(f"({time.monotonic() - t0:.1f} s, exit {run.returncode})", flush=True)
    if check and run.returncode != 0:
        fail(f"{' '.join(extra) or 'local'} sweep exited {run.returncode}")
    return run


def results(out):
    path = os.path.join(out, "sweep.json")
    if not os.path.exists(path):
        fail(f"{path} missing")
        return None
    with open(path) as f:
        return json.load(f)


def point_files(out):
    """Result files (finished points) and their modification times."""
    folder = os.path.join(out, "points")
    if not os.path.isdir(folder):
        return {}
    return {n: os.stat(os.path.join(folder, n)).st_mtime_ns
            for n in os.listdir(folder) if n.endswith(".json")}


def check_report(out, run):
    report = results(out)
    if report is None:
        return
    points = report["points"]
    if len(points) != 10:
        fail(f"expected 10 points (2 configs x 4 modes and auto), got {len(points)}")
    for p in points:
        where = f"p{p['index']} {p['label']} {p['mode']}"
        if p["label"] == "no-lanes":
            if p["status"] != "invalid" or not any(
                    "/lanes: must be between 1 and 256, got 0" in x for x in p["problems"]):
                fail(f"{where}: expected invalid with the config error, got {p['status']} {p['problems']}")
        else:
            if p["status"] != "ok":
                fail(f"{where}: {p['status']} {p['problems']}")
                continue
            if p["cycles"] <= 0 or not all(w["bit_exact"] for w in p["workloads"]):
                fail(f"{where}: no cycles or not bit-exact")
            luts = p["synthesis"].get("ice40", {}).get("luts")
            if not isinstance(luts, int) or luts <= 0:
                fail(f"{where}: no LUT count from Yosys: {p['synthesis']}")
            if not 0 < p["error_max_abs"] < 0.5:
                fail(f"{where}: error against float {p['error_max_abs']} out of range")
    chose = check_auto(points)
    if not report["pareto"]:
        fail("no Pareto-optimal point")
    if report["best_within_budget"] is None:
        fail("no point within the budget (20000 LUTs, 1e6 cycles)")
    for name in ("sweep.md", "pareto.svg"):
        if not os.path.exists(os.path.join(out, name)):
            fail(f"{name} missing")
    if "Pareto-optimal points" not in run.stdout or "Best within the budget" not in run.stdout:
        fail("the Pareto table and the budget's pick are not printed")
    md_path = os.path.join(out, "sweep.md")
    md = open(md_path).read() if os.path.exists(md_path) else ""
    if "| p5 | no-lanes | single | invalid |" not in md:
        fail("sweep.md does not list the invalid point")
    if chose and f"| p4 | small | auto ({chose}) |" not in md:
        fail(f"sweep.md does not name auto's choice ({chose}) in p4's row")


def check_auto(points):
    """auto ran the mode with the fewest predicted cycles, and measured the
    same cycles as the point of that mode."""
    fixed = {p["mode"]: p for p in points if p["label"] != "no-lanes" and p["mode"] != "auto"}
    auto = [p for p in points if p["label"] != "no-lanes" and p["mode"] == "auto"]
    if len(auto) != 1 or auto[0]["status"] != "ok" or len(fixed) != 4:
        fail(f"expected one measured auto point and four fixed ones, got {auto} {list(fixed)}")
        return
    run = auto[0]["workloads"][0]
    chose = run["mode"]
    predicted = {m: p["workloads"][0]["predicted_cycles"] for m, p in fixed.items()
                 if p["status"] == "ok"}
    print(f"auto ran {chose}: {run['cycles']} cycles; predicted per mode {predicted}", flush=True)
    if chose not in fixed or fixed[chose]["status"] != "ok":
        fail(f"auto ran {chose}, not a measured mode")
        return
    if run["cycles"] != fixed[chose]["workloads"][0]["cycles"]:
        fail(f"auto ({chose}) measured {run['cycles']} cycles, mode {chose} {fixed[chose]['cycles']}")
    if predicted[chose] != min(predicted.values()):
        fail(f"auto ran {chose}, predicted {predicted[chose]}, not the fewest of {predicted}")
    return chose


def compare(a, b, what):
    ra, rb = results(a), results(b)
    if ra is None or rb is None:
        return
    pa, pb = ra["points"], rb["points"]
    if len(pa) != len(pb):
        fail(f"{what}: {len(pa)} points against {len(pb)}")
    for x, y in zip(pa, pb):
        if x != y:
            fail(f"{what}: point p{x['index']} differs:\n  {json.dumps(x)}\n  {json.dumps(y)}")
    for key in ("pareto", "best_within_budget"):
        if ra[key] != rb[key]:
            fail(f"{what}: {key} differs: {ra[key]} against {rb[key]}")


def wait_for(predicate, seconds, what):
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(0.05)
    fail(f"timed out after {seconds} s waiting for {what}")
    return False


def valid_points(out):
    """Result files of the small.json points (shard 0 of 2: p0000..p0004)."""
    return [n for n in point_files(out) if n[:5] in ("p0000", "p0001", "p0002", "p0003", "p0004")]


# ---------------------------------------------------------------- local
def local_test():
    reference = os.path.join(work, "reference")
    run = sweep(reference)
    check_report(reference, run)

    # Shard 0 (small.json, 5 points) killed once its first point is written.
    killed = os.path.join(work, "killed")
    cmd = [lstmsim, "sweep", "--sweep", sweep_file, "--out", killed, "--shard", "0/2"]
    print("$", " ".join(cmd), "(killed after its first point)", flush=True)
    shard = subprocess.Popen(cmd, env=env, start_new_session=True,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_for(lambda: len(valid_points(killed)) >= 1, 600, "the shard's first point")
    os.killpg(shard.pid, signal.SIGKILL)  # the shard and its rtlsim
    shard.wait()
    before = {n: t for n, t in point_files(killed).items()}
    print(f"killed with {len(before)} of its 5 points done", flush=True)
    if len(before) >= 5:
        fail(f"the shard wrote {len(before)} of its 5 points before it was killed: "
             "make the CI workload longer")
    merge = sweep(killed, "--merge", check=False)
    if merge.returncode != 1 or "have no result" not in merge.stderr:
        fail(f"--merge of an incomplete sweep: exit {merge.returncode}, expected 1 naming the missing points")
    if os.path.exists(os.path.join(killed, "sweep.json")):
        fail("--merge wrote a report from incomplete results")
    sweep(killed)
    after = point_files(killed)
    for name, mtime in before.items():
        if after.get(name) != mtime:
            fail(f"{name} was done before the kill and was run again")
    compare(reference, killed, "killed and rerun against one run")


# ---------------------------------------------------------------- cluster
class Cluster:
    """munged + slurmctld + slurmd for one node, config and state in a folder."""

    def __init__(self, folder):
        self.dir = folder
        self.pidfiles = []
        self.env = dict(env, SLURM_CONF=os.path.join(folder, "slurm.conf"))

    def start(self):
        d = self.dir
        os.makedirs(os.path.join(d, "state"))
        os.makedirs(os.path.join(d, "spool"))
        os.makedirs(os.path.join(d, "munge"), mode=0o700)
        key = os.path.join(d, "munge", "munge.key")
        with open(key, "wb") as f:
            f.write(os.urandom(1024))
        os.chmod(key, 0o400)
        sock = os.path.join(d, "munge", "munge.socket")
        munged = shutil.which("munged") or "/usr/sbin/munged"
        self.pidfiles.append(os.path.join(d, "munge", "munged.pid"))
        subprocess.run([munged, "--force", f"--key-file={key}", f"--socket={sock}",
                        f"--pid-file={self.pidfiles[-1]}", f"--log-file={d}/munge/munged.log",
                        f"--seed-file={d}/munge/munged.seed"], check=True)
        host = socket.gethostname().split(".")[0]
        base = 20000 + os.getpid() % 20000
        conf = f"""ClusterName=lstmtest
SlurmctldHost={host}(127.0.0.1)
SlurmctldPort={base}
SlurmdPort={base + 1}
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket={sock}
CredType=cred/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
MpiDefault=none
ReturnToService=2
StateSaveLocation={d}/state
SlurmdSpoolDir={d}/spool
SlurmctldPidFile={d}/slurmctld.pid
SlurmdPidFile={d}/slurmd.pid
SlurmctldLogFile={d}/slurmctld.log
SlurmdLogFile={d}/slurmd.log
NodeName={host} NodeAddr=127.0.0.1 CPUs={os.cpu_count()} State=UNKNOWN
PartitionName=sweeps Nodes=ALL Default=YES MaxTime=INFINITE State=UP
"""
        with open(self.env["SLURM_CONF"], "w") as f:
            f.write(conf)
        self.pidfiles += [f"{d}/slurmctld.pid", f"{d}/slurmd.pid"]
        subprocess.run(["slurmctld", "-c"], env=self.env, check=True)
        subprocess.run(["slurmd"], env=self.env, check=True)

        def idle():
            r = subprocess.run(["sinfo", "--noheader", "--format=%T"], env=self.env,
                               capture_output=True, text=True)
            return r.returncode == 0 and r.stdout.strip() == "idle"
        return wait_for(idle, 60, "the node to be idle in sinfo")

    def stop(self):
        subprocess.run(["scancel", "--name=lstm-sweep-ci"], env=self.env, capture_output=True)
        for pidfile in reversed(self.pidfiles):  # slurmd, slurmctld, munged
            try:
                pid = int(open(pidfile).read().strip())
            except (OSError, ValueError):
                continue
            try:
                os.kill(pid, signal.SIGTERM)
                for _ in range(100):
                    os.kill(pid, 0)
                    time.sleep(0.1)
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass


def install_slurm():
    need = [t for t in ("slurmctld", "slurmd", "sbatch", "munged") if not shutil.which(t)
            and not os.path.exists(f"/usr/sbin/{t}")]
    if not need:
        return True
    if os.geteuid() != 0:
        print(f"SKIP: {', '.join(need)} missing and not root (tools/setup.sh --with-test-tools "
              "installs slurm-wlm and munge)")
        sys.exit(77)
    print("installing slurm-wlm and munge", flush=True)
    subprocess.run(["apt-get", "install", "-y", "-qq", "--no-install-recommends", "slurm-wlm",
                    "munge"], check=True, env=dict(os.environ, DEBIAN_FRONTEND="noninteractive"))
    return True


def cluster_test():
    if os.geteuid() != 0:
        print("SKIP: the one-node cluster runs its daemons as root")
        sys.exit(77)
    install_slurm()
    cluster = Cluster(os.path.join(work, "cluster"))
    try:
        if not cluster.start():
            return
        global env
        env = cluster.env
        local = os.path.join(work, "local")
        check_report(local, sweep(local))

        # The job array, with shard 0 cancelled once its first point is written.
        out = os.path.join(work, "slurm")
        cmd = [lstmsim, "sweep", "--sweep", sweep_file, "--out", out, "--executor", "slurm",
               "--shards", "2", "--time", "10:00", "--sbatch-option=--cpus-per-task=1"]
        print("$", " ".join(cmd), "(shard 0 cancelled after its first point)", flush=True)
        t0 = time.monotonic()
        first = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                 text=True)
        if wait_for(lambda: len(valid_points(out)) >= 1, 900, "shard 0's first point"):
            tasks = subprocess.run(["squeue", "--noheader", "--name=lstm-sweep-ci", "--format=%i"],
                                   env=env, capture_output=True, text=True).stdout.split()
            shard0 = [t for t in tasks if t.endswith("_0")]
            print(f"tasks in the queue: {tasks}; cancelling {shard0}", flush=True)
            subprocess.run(["scancel", *shard0], env=env)
        stdout, stderr = first.communicate(timeout=600)
        print(stdout, stderr, sep="\n")
        print(f"({time.monotonic() - t0:.1f} s, exit {first.returncode})", flush=True)
        done = valid_points(out)
        print(f"shard 0 cancelled with {len(done)} of its 5 points done", flush=True)
        if first.returncode != 1 or "have no result" not in stderr:
            fail(f"the sweep with a cancelled shard: exit {first.returncode}, expected 1 naming "
                 "the missing points")
        if len(done) >= 5:
            fail("shard 0 finished before it was cancelled: make the CI workload longer")
        before = {n: t for n, t in point_files(out).items()}
        script = os.path.join(out, "slurm", "shards.sbatch")
        if "--array=0-1" not in open(script).read():
            fail("the first submission was not an array of both shards")
        second = sweep(out, "--executor", "slurm", "--shards", "2")
        if "--array=0 " not in open(script).read() and "'--array=0'" not in open(script).read():
            fail("the rerun did not submit only the cancelled shard")
        after = point_files(out)
        for name, mtime in before.items():
            if after.get(name) != mtime:
                fail(f"{name} was done before the cancel and was run again")
        check_report(out, second)
        compare(local, out, "slurm against local")
    finally:
        cluster.stop()


shutil.rmtree(work, ignore_errors=True)
os.makedirs(work)
if mode == "local":
    local_test()
elif mode == "cluster":
    cluster_test()
else:
    sys.exit(f"unknown mode {mode}")
finish()
