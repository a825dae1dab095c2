/**
 * Finds the cpuid and rdtsc instructions of a code mapping before the real
 * process runs it, so that a breakpoint can be planted on each: the real
 * process must get the vcpu's answer to both (glibc picks its string
 * functions from cpuid; ld.so stores rdtsc readings in its statistics).
 * The sweep is objdump's linear disassembly of the mapping's bytes; results
 * are cached per mapping (same file, offset and address; keyed also by a hash
 * of the bytes) in memory and in .cache/lockstep/sweeps.json. A site the
 * sweep misses is still found by single-stepping, only more slowly.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { projectRoot } from '../debian/index.js';

export type EmulatedKind = 'cpuid' | 'rdtsc';

const cache = new Map<string, Map<number, EmulatedKind>>();
let diskCacheLoaded = false;

function diskCachePath(): string {
  return join(projectRoot(), '.cache', 'lockstep', 'sweeps.json');
}

function loadDiskCache(): void {
  if (diskCacheLoaded) return;
  diskCacheLoaded = true;
  try {
    const entries = JSON.parse(readFileSync(diskCachePath(), 'utf8')) as Record<string, [number, EmulatedKind][]>;
    for (const [key, sites] of Object.entries(entries)) cache.set(key, new Map(sites));
  } catch {
    // No cache yet (or a damaged one): sweep again.
  }
}

function saveDiskCache(): void {
  const path = diskCachePath();
  if (!existsSync(dirname(path))) mkdirSync(dirname(path), { recursive: true });
  const entries = Object.fromEntries([...cache].map(([key, sites]) => [key, [...sites]]));
  writeFileSync(path, JSON.stringify(entries));
}

export function findEmulatedSites(mappingKey: string, start: number, code: Uint8Array): Map<number, EmulatedKind> {
  loadDiskCache();
  const key = `${mappingKey}:${createHash('sha1').update(code).digest('hex')}`;
  const cached = cache.get(key);
  if (cached) return cached;
  const sites = new Map<number, EmulatedKind>();
  // Cheap test first: most mappings contain neither opcode's bytes at all.
  let candidates = false;
  for (let i = 0; i + 1 < code.length; i++) {
    if (code[i] === 0x0f && (code[i + 1] === 0xa2 || code[i + 1] === 0x31)) {
      candidates = true;
      break;
    }
  }
  if (candidates) {
    const directory = mkdtempSync(join(tmpdir(), 'ir0-sweep-'));
    try {
      const file = join(directory, 'code.bin');
      writeFileSync(file, code);
      // grep keeps the pipe small: objdump prints ~25 bytes per byte of code.
      const result = spawnSync('sh', ['-c', 'objdump -D -b binary -mi386 --adjust-vma="$1" "$2" | grep -E "\\s(cpuid|rdtsc)\\s*$"',
        'sweep', `0x${start.toString(16)}`, file], { encoding: 'utf8', maxBuffer: 1 << 26 });
      if (result.status === 0 || result.status === 1) {
        for (const match of result.stdout.matchAll(/^\s*([0-9a-f]+):\s+0f (a2|31)\s+(cpuid|rdtsc)\s*$/gm)) {
          sites.set(parseInt(match[1], 16), match[3] as EmulatedKind);
        }
      }
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  }
  cache.set(key, sites);
  saveDiskCache();
  return sites;
}
