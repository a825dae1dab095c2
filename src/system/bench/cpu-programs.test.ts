/**
 * Each CPU benchmark at its tiny test scale on ir0's bare runner must print the
 * same checksums as the real processor, so a CPU bug that breaks a benchmark
 * fails CI in seconds.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { cpuBenchPrograms, cpuBenchProgramPath, repositoryRoot } from './cpu-programs.js';
import { runBareProgram } from './bare-program.js';

const build = spawnSync('make', ['-s', '-C', path.join(repositoryRoot(), 'userland', 'bench-cpu')], { encoding: 'utf8' });

for (const program of cpuBenchPrograms) {
  test(`bench-cpu ${program.name} (scale ${program.scales.test}) prints the native checksums on ir0`, () => {
    assert.equal(build.status, 0, `make -C userland/bench-cpu failed: ${build.stderr}`);
    const file = cpuBenchProgramPath(program);
    const args = [String(program.scales.test)];
    const native = spawnSync(file, args, { encoding: 'utf8' });
    assert.equal(native.status, 0, `native run failed: ${native.stderr}`);
    assert.match(native.stdout, /=0x[0-9a-f]+\n/);
    const ir0 = runBareProgram(file, [program.name, ...args], { maxInstructions: 500_000_000 });
    assert.equal(ir0.error, undefined, `ir0: ${ir0.error}`);
    assert.equal(ir0.exitStatus, 0);
    assert.equal(ir0.stdout, native.stdout);
    assert.ok(ir0.instructions > 0);
  });
}
