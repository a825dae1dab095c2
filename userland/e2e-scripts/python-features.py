# E2E script for python3.11, run as `python3 -c "$(cat python-features.py)"`:
# os, subprocess, signal (handlers and setitimer), threading, tempfile, mmap,
# json and math. Prints only what is the same on every run (no pids, times,
# temporary names or set orders), so ir0 and the real kernel can be compared.
import json
import math
import mmap
import os
import signal
import subprocess
import sys
import tempfile
import threading


def section(name):
    print(f"== {name}", flush=True)


section("os")
print(os.name, sys.platform, sys.maxsize == 2**31 - 1, sys.byteorder)
print(os.uname().sysname, os.uname().machine)
print(os.getcwd(), os.getuid(), os.geteuid(), os.getgid())
print(sorted(k for k in os.environ if k in ("HOME", "PATH", "TERM")))
print(os.path.exists("/usr/bin/python3.11"), os.path.islink("/bin"), os.readlink("/bin"))
os.makedirs("/tmp/py-e2e/a/b", exist_ok=True)
with open("/tmp/py-e2e/a/b/file.txt", "w") as f:
    f.write("hello\n" * 100)
st = os.stat("/tmp/py-e2e/a/b/file.txt")
print(st.st_size, oct(st.st_mode), st.st_nlink)
os.rename("/tmp/py-e2e/a/b/file.txt", "/tmp/py-e2e/a/moved.txt")
print(sorted(os.listdir("/tmp/py-e2e/a")))
print([(d[len("/tmp/py-e2e"):] or "/", sorted(ds), sorted(fs)) for d, ds, fs in sorted(os.walk("/tmp/py-e2e"))])
fd = os.open("/tmp/py-e2e/a/moved.txt", os.O_RDONLY)
print(os.read(fd, 12), os.lseek(fd, 0, os.SEEK_END))
os.close(fd)
r, w = os.pipe()
os.write(w, b"through a pipe")
os.close(w)
print(os.read(r, 100))
os.close(r)
pid = os.fork()
if pid == 0:
    os._exit(7)
_, status = os.waitpid(pid, 0)
print("child exit status", os.waitstatus_to_exitcode(status))

section("subprocess")
out = subprocess.run(["/bin/busybox", "echo", "from busybox"], capture_output=True, text=True)
print(repr(out.stdout), out.returncode)
out = subprocess.run("echo $((6 * 7)) | /usr/bin/wc -c; exit 3", shell=True, capture_output=True, text=True)
print(repr(out.stdout), out.returncode)
proc = subprocess.Popen(["/usr/bin/sort"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
sorted_text, _ = proc.communicate("pear\napple\nfig\n")
print(sorted_text.split(), proc.returncode)
print(subprocess.check_output(["/usr/bin/expr", "6", "*", "7"]).decode().strip())
killed = subprocess.Popen(["/bin/busybox", "sleep", "10"])
killed.terminate()
print("terminated child", killed.wait())

section("signal")
caught = []
signal.signal(signal.SIGUSR1, lambda signum, frame: caught.append(signal.Signals(signum).name))
os.kill(os.getpid(), signal.SIGUSR1)
print("caught", caught)
ticks = []
signal.signal(signal.SIGALRM, lambda signum, frame: ticks.append(signum))
signal.setitimer(signal.ITIMER_REAL, 0.01, 0.01)
while len(ticks) < 5:
    signal.pause()
signal.setitimer(signal.ITIMER_REAL, 0)
print("timer ticks", len(ticks), signal.getitimer(signal.ITIMER_REAL))
old = signal.signal(signal.SIGUSR2, signal.SIG_IGN)
os.kill(os.getpid(), signal.SIGUSR2)
print("ignored SIGUSR2, old handler", old)
signal.pthread_sigmask(signal.SIG_BLOCK, [signal.SIGUSR1])
os.kill(os.getpid(), signal.SIGUSR1)
print("pending", sorted(s.name for s in signal.sigpending()))
signal.pthread_sigmask(signal.SIG_UNBLOCK, [signal.SIGUSR1])
print("caught after unblock", caught)

section("threading")
lock = threading.Lock()
totals = {"sum": 0}
results = [0] * 4


def worker(index):
    local = sum(i * i for i in range(index * 1000, (index + 1) * 1000))
    results[index] = local
    with lock:
        totals["sum"] += local


threads = [threading.Thread(target=worker, args=(i,)) for i in range(4)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print(results, totals["sum"], threading.active_count())
event = threading.Event()
condition_values = []


def waiter():
    event.wait()
    condition_values.append("woken")


t = threading.Thread(target=waiter)
t.start()
event.set()
t.join()
print(condition_values)
local_data = threading.local()
local_data.name = "main"
seen = []
t = threading.Thread(target=lambda: seen.append(getattr(local_data, "name", "unset")))
t.start()
t.join()
print("thread-local in other thread:", seen, "in main:", local_data.name)

section("tempfile")
with tempfile.TemporaryDirectory() as directory:
    print(directory.startswith("/tmp/"), os.path.isdir(directory))
    with tempfile.NamedTemporaryFile("w+", dir=directory, suffix=".json", delete=False) as f:
        json.dump({"b": [1, 2, 3], "a": {"nested": True}}, f, sort_keys=True)
        name = f.name
    with open(name) as f:
        print(f.read())
    print(os.path.basename(name).endswith(".json"), len(os.listdir(directory)))
print("removed", not os.path.exists(directory))
with tempfile.TemporaryFile() as f:
    f.write(b"spooled" * 1000)
    f.seek(0)
    print(len(f.read()))

section("mmap")
anonymous = mmap.mmap(-1, 3 * mmap.PAGESIZE)
anonymous[0:5] = b"hello"
anonymous[mmap.PAGESIZE * 2:mmap.PAGESIZE * 2 + 5] = b"world"
print(mmap.PAGESIZE, anonymous[0:5], anonymous[mmap.PAGESIZE * 2:mmap.PAGESIZE * 2 + 5], anonymous.find(b"world"))
anonymous.close()
with open("/tmp/py-e2e/mapped.bin", "wb") as f:
    f.write(bytes(range(256)) * 64)
with open("/tmp/py-e2e/mapped.bin", "r+b") as f:
    mapped = mmap.mmap(f.fileno(), 0)
    print(len(mapped), mapped[255], mapped[256], mapped[-1])
    mapped[0:4] = b"MMAP"
    mapped.flush()
    mapped.close()
with open("/tmp/py-e2e/mapped.bin", "rb") as f:
    print(f.read(8))

section("json")
document = {"name": "ir0", "numbers": [1, 2.5, -3e10, 2**40], "nested": {"t": True, "f": False, "n": None},
            "text": "caf\u00e9 \u2603"}
encoded = json.dumps(document, sort_keys=True)
print(encoded)
print(json.dumps(document, sort_keys=True, indent=1, ensure_ascii=False))
print(json.loads(encoded) == document, json.loads("[1e400, -0.0]"))

section("math")
print(math.pi, math.e, math.tau)
print(math.sqrt(2), math.exp(1.5), math.log(10), math.log2(1000), math.log10(7))
print(math.sin(1), math.cos(1), math.tan(1), math.atan2(1, 2), math.asin(0.5))
print(math.sinh(0.5), math.cosh(0.5), math.tanh(0.5), math.hypot(3, 4.5))
print(math.factorial(30), math.comb(50, 25), math.gcd(2**40, 6**20), math.isqrt(10**30))
print(math.floor(-2.5), math.ceil(-2.5), math.fsum([0.1] * 10), sum([0.1] * 10))
print(math.gamma(4.5), math.lgamma(100), math.erf(0.5), math.erfc(0.5))
print(math.fmod(10, 3.3), math.frexp(1e300), math.ldexp(0.5, 1000), math.copysign(1, -0.0))
print(math.inf, -math.inf, math.isnan(math.nan), float("1e-320"), 1 / 3, 2 ** 0.5, 10 ** -5)
print([round(math.sin(i) * 1e6) for i in range(10)])
print(f"{math.pi:.30f}", f"{1e22:e}", float.hex(0.1), (0.1).as_integer_ratio())
print("done")
