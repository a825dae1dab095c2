# The short python3 e2e script of the default test suite (the full one,
# python-features.py, takes minutes of emulation): the interpreter starts,
# imports from the standard library, computes, and runs one child process.
import json
import math
import os
import subprocess

print(os.uname().machine, os.getcwd(), sorted(k for k in os.environ if k in ("HOME", "PATH", "TERM")))
os.makedirs("/tmp/py-sample", exist_ok=True)
with open("/tmp/py-sample/data.json", "w") as f:
    json.dump({"squares": [i * i for i in range(10)], "pi": math.pi}, f, sort_keys=True)
with open("/tmp/py-sample/data.json") as f:
    data = json.load(f)
print(data["squares"], data["pi"] == math.pi, os.stat("/tmp/py-sample/data.json").st_size)
print(math.sqrt(2), math.exp(1), math.sin(1), math.log(10), math.factorial(25), 2 ** 100, 1 / 3)
print(f"{math.pi:.20f}", float.hex(math.e), math.fsum([0.1] * 10))
out = subprocess.run(["/bin/busybox", "echo", "child"], capture_output=True, text=True)
print(repr(out.stdout), out.returncode)
print("done")
