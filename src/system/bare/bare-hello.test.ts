/**
 * End-to-end smoke test of the bare runner: userland/bare-hello runs on the
 * emulated CPU and natively on the host with the same argv and an empty
 * environment; stdout and exit status must be identical.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createMachine } from '../../machine/index.js';
import { loadStaticElf } from './load-static-elf.js';
import { runBare } from './run-bare.js';
import { createWriteExitSyscalls } from './bare-syscalls.js';

const HELLO = fileURLToPath(new URL('../../../userland/bare-hello/build/bare-hello', import.meta.url));

for (const args of [[], ['one', 'two words', '']]) {
  test(`bare-hello ${JSON.stringify(args)} matches the host`, () => {
    const argv = [HELLO, ...args];
    const native = spawnSync(HELLO, args, { env: {}, encoding: 'utf8' });
    const machine = createMachine({ memoryMiB: 32 });
    loadStaticElf(machine, readFileSync(HELLO), argv);
    const syscalls = createWriteExitSyscalls();
    const result = runBare(machine, { onSyscall: syscalls.onSyscall, maxInstructions: 50_000_000 });
    const stdout = Buffer.from(syscalls.stdout).toString('utf8');
    assert.equal(result.reason, 'exit', `stopped: ${JSON.stringify(result)}\n${stdout}`);
    assert.equal(stdout, native.stdout);
    assert.equal(result.exitStatus, native.status);
    assert.deepEqual(syscalls.unsupported, []);
    assert.ok(result.instructions > 100_000, `${result.instructions} instructions retired`);
  });
}
