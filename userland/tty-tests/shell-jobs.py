# Drives an interactive shell (argv[1:]) on a pty: sleep 100, ^Z, jobs, fg, ^C, $? (dash and busybox sh give 130 on ir0).
import os, pty, sys, time, select
# Drive an interactive shell on a pty: job control with ^Z, jobs, fg, ^C.
pid, master = pty.fork()
if pid == 0:
    os.execv(sys.argv[1], sys.argv[1:])
def send(data):
    os.write(master, data)
    time.sleep(0.5)
out = b''
def drain():
    global out
    while True:
        r, _, _ = select.select([master], [], [], 0.3)
        if not r: return
        try: chunk = os.read(master, 4096)
        except OSError: return
        if not chunk: return
        out += chunk
send(b'stty size; sleep 100\n'); send(b'\x1a'); drain()
send(b'jobs\n'); drain()
send(b'fg\n'); send(b'\x03'); drain()
send(b'echo status $?\n'); drain()
send(b'exit\n'); drain()
_, st = os.waitpid(pid, 0)
sys.stdout.write(out.decode(errors='replace').replace('\r', ''))
print('exit', st)
