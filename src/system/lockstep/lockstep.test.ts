/**
 * Lockstep against the real processor, a bounded sample (the full run is
 * `ir0 lockstep workloads`): Debian's busybox-static (sh loops, sort, sed,
 * awk), gzip and bzip2 on small generated inputs must run with zero
 * divergences; and a difference planted in the machine must be found and
 * pinned to an instruction. Needs the Debian mirror the host's apt uses.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DebianFetchError, projectRoot } from '../debian/index.js';
import { runLockstep, tracerPath } from './lockstep.js';
import { standardWorkloads, type Workload } from './workloads.js';

async function workloads(): Promise<Workload[]> {
  try {
    return await standardWorkloads('sample');
  } catch (error) {
    if (error instanceof DebianFetchError) {
      assert.fail(`lockstep needs Debian's busybox-static, gzip and bzip2 (i386), fetched with the host's apt mirror: ${error.message}`);
    }
    throw error;
  }
}

test('busybox, gzip and bzip2 run on the vcpu in lockstep with the real processor', async () => {
  let total = 0;
  for (const workload of await workloads()) {
    const result = runLockstep({ argv: workload.argv, stdout: '/dev/null' });
    const report = 'report' in result.outcome ? result.outcome.report : result.outcome.kind;
    assert.ok(result.ok, `${workload.name} diverged:\n${report}`);
    assert.ok(result.checkpoints > 5, `${workload.name}: only ${result.checkpoints} checkpoints`);
    total += result.instructions;
  }
  assert.ok(total > 10_000_000, `only ${total} instructions compared`);
});

test('a byte planted in the machine\'s memory is reported at the first instruction after it', async () => {
  const sed = (await workloads()).find((w) => w.name === 'busybox sed');
  assert.ok(sed);
  let planted = 0;
  const result = runLockstep({
    argv: sed.argv, stdout: '/dev/null',
    afterSyscall: (checkpoint, session) => {
      if (checkpoint !== 8) return;
      // The last byte of the first writable mapping: padding the program never writes.
      const data = session.mirror.mappings.find((m) => m.writable && m.name !== '');
      assert.ok(data);
      planted = data.end - 1;
      const old = session.mirror.readMachine(planted, 1)[0];
      session.mirror.writeMachine(planted, Uint8Array.of(old ^ 0x5a));
    },
  });
  assert.equal(result.outcome.kind, 'divergence');
  assert.ok('report' in result.outcome && result.outcome.report.includes(`0x${planted.toString(16).padStart(8, '0')}`),
    'report' in result.outcome ? result.outcome.report : '');
});

test('stack growth by page faults and single-stepped segments match (userland/lockstep-tracer/stack-growth.c)', () => {
  tracerPath(); // builds userland/lockstep-tracer, stack-growth included
  const program = join(projectRoot(), 'userland', 'lockstep-tracer', 'build', 'stack-growth');
  const output = join(tmpdir(), `ir0-lockstep-${process.pid}.txt`);
  try {
    const result = runLockstep({ argv: [program], stdout: output, stepCheckpoints: [0, 3, 5] });
    assert.ok(result.ok, 'report' in result.outcome ? result.outcome.report : result.outcome.kind);
    assert.ok(result.steppedInstructions > 1000, `only ${result.steppedInstructions} instructions single-stepped`);
    assert.match(readFileSync(output, 'utf8'), /^\d+\n$/);
  } finally {
    rmSync(output, { force: true });
  }
});
