# Runs `stty -a` on a fresh pty (python pty.fork) and prints what it shows: compare the host with ir0 (same output measured).
import os, pty, sys
pid, master = pty.fork()
if pid == 0:
    os.execv('/usr/bin/stty', ['stty', '-a'])
out = b''
while True:
    try: chunk = os.read(master, 4096)
    except OSError: break
    if not chunk: break
    out += chunk
os.waitpid(pid, 0)
sys.stdout.write(out.decode().replace('\r', ''))
