/**
 * Host memory while running python3 (issue 3: at most the guest RAM plus 200 MiB).
 * `ir0 run --root <Debian root> --mem 256 -- python3 -c 'print(1)'` runs in a
 * child Node process that reports its peak RSS (getrusage ru_maxrss) as it
 * exits: the packed initramfs, the guest RAM and the CPU's code caches all
 * count. Skipped without the image (scripts/setup.sh).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

const root = path.resolve(import.meta.dirname, '../../.cache/image/root');
const usable = fs.existsSync(path.join(root, 'usr/bin/python3'));
const GUEST_MIB = 256;
const ALLOWANCE_MIB = 200;

const cli = path.resolve(import.meta.dirname, '../../bin/ir0.js');
// `ir0 run` itself, with its peak RSS (getrusage ru_maxrss, KiB) written to stderr as it exits.
const REPORT_PEAK = `process.on('exit', () => process.stderr.write('maxrss ' + process.resourceUsage().maxRSS + '\\n'));`
  + `process.argv.splice(1, 0, ${JSON.stringify(cli)}); await import(${JSON.stringify(cli)});`;

test('python3 -c print(1) peaks below guest RAM + 200 MiB of host memory', { skip: !usable && 'no Debian image (scripts/setup.sh)' }, () => {
  const args = ['run', '--root', root, '--mem', String(GUEST_MIB), '--', '/usr/bin/python3', '-c', 'print(1)'];
  const child = spawnSync(process.execPath, ['--input-type=module', '-e', REPORT_PEAK, ...args], { encoding: 'utf8', timeout: 300_000 });
  assert.equal(child.status, 0, child.stderr);
  assert.equal(child.stdout, '1\n');
  const peak = /maxrss (\d+)/.exec(child.stderr);
  assert.ok(peak, child.stderr);
  const peakMiB = Number(peak[1]) / 1024;
  assert.ok(peakMiB <= GUEST_MIB + ALLOWANCE_MIB, `peak RSS ${peakMiB.toFixed(0)} MiB > ${GUEST_MIB} + ${ALLOWANCE_MIB} MiB`);
});
