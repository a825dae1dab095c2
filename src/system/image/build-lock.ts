/**
 * A lock between processes building the same image (test files run in
 * parallel, and a user may run `ir0 image build` meanwhile): a directory made
 * with mkdir, which is atomic, holding the owner's pid so that a lock left by
 * a dead process is taken over instead of waited on forever.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

function ownerAlive(lock: string): boolean {
  let pid: number;
  try {
    pid = Number(readFileSync(join(lock, 'pid'), 'utf8'));
  } catch {
    return true; // Being created right now: its owner writes the pid next.
  }
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Runs `work` holding the lock at `lock` (a path that must not otherwise exist). */
export async function withBuildLock<T>(lock: string, work: () => Promise<T>, onWait?: () => void,
  timeoutMilliseconds = 15 * 60_000): Promise<T> {
  const started = performance.now();
  let told = false;
  mkdirSync(dirname(lock), { recursive: true });
  for (;;) {
    try {
      mkdirSync(lock);
      writeFileSync(join(lock, 'pid'), String(process.pid));
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    if (!ownerAlive(lock)) {
      rmSync(lock, { recursive: true, force: true });
      continue;
    }
    if (!told) onWait?.();
    told = true;
    if (performance.now() - started > timeoutMilliseconds) throw new Error(`timed out waiting for the lock ${lock}`);
    await sleep(250);
  }
  try {
    return await work();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}
