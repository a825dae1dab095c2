/**
 * What the host's debugfs says about every inode in an ext2 image — full mode
 * (type, setuid...), owner, size, device numbers, and hard-link identity — as
 * lines comparable with `hostListing` of the source tree. Complements debugfs
 * rdump, which cannot restore those. One debugfs run per image (a command file).
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const env = { ...process.env, PATH: `${process.env.PATH}:/sbin:/usr/sbin` };

function runDebugfs(image: string, commands: string[]): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ir0-debugfs-')), 'commands');
  fs.writeFileSync(file, commands.join('\n') + '\n');
  try {
    return execFileSync('debugfs', ['-f', file, image], { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 256 << 20 });
  } finally {
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
  }
}

const describe = (mode: number, uid: number, gid: number, size: number, device: string, link: string): string =>
  `${mode.toString(8)} ${uid}:${gid} ${(mode & 0o170000) === 0o100000 ? `size ${size}` : ''}${device}${link}`;

/** path -> description, for every entry under `root` of the host tree (lost+found excluded). */
export function hostListing(root: string): Map<string, string> {
  const out = new Map<string, string>();
  const first = new Map<string, string>();
  const walk = (relative: string): void => {
    for (const name of fs.readdirSync(path.join(root, relative)).sort()) {
      const child = relative ? `${relative}/${name}` : name;
      if (child === 'lost+found') continue;
      const stat = fs.lstatSync(path.join(root, child));
      const device = stat.isCharacterDevice() || stat.isBlockDevice() ? ` dev ${Math.floor(stat.rdev / 256) & 0xfff}:${(stat.rdev & 0xff) | ((stat.rdev >>> 12) & 0xfff00)}` : '';
      let link = '';
      if (!stat.isDirectory() && stat.nlink > 1) {
        const key = `${stat.ino}`;
        link = ` link-of ${first.get(key) ?? child}`;
        if (!first.has(key)) first.set(key, child);
      }
      out.set(child, describe(stat.mode, stat.uid, stat.gid, stat.size, device, link));
      if (stat.isDirectory()) walk(child);
    }
  };
  walk('');
  return out;
}

/** The same listing read from an image with debugfs `ls -l` (and `stat` for device numbers). */
export function debugfsListing(image: string): Map<string, string> {
  interface Row { ino: number; mode: number; uid: number; gid: number; size: number }
  const rows = new Map<string, Row>();
  let pending = [''];
  while (pending.length > 0) {
    const output = runDebugfs(image, pending.map((dir) => `ls -l "/${dir}"`));
    const next: string[] = [];
    // Each command's output starts with "debugfs: ls -l ..."; rows are "ino mode (n) uid gid size date time name".
    let current = '';
    for (const line of output.split('\n')) {
      const command = /^debugfs: ls -l "\/(.*)"$/.exec(line);
      if (command) { current = command[1]!; continue; }
      const row = /^\s*(\d+)\s+([0-7]+)\s+\(\d+\)\s+(\d+)\s+(\d+)\s+(\d+)\s+\S+\s+\S+\s(.*)$/.exec(line);
      if (!row) continue;
      const name = row[6]!;
      if (name === '.' || name === '..' || (current === '' && name === 'lost+found')) continue;
      const child = current ? `${current}/${name}` : name;
      const entry = { ino: Number(row[1]), mode: parseInt(row[2]!, 8), uid: Number(row[3]), gid: Number(row[4]), size: Number(row[5]) };
      rows.set(child, entry);
      if ((entry.mode & 0o170000) === 0o040000) next.push(child);
    }
    pending = next;
  }
  const devices = [...rows].filter(([, row]) => [0o020000, 0o060000].includes(row.mode & 0o170000));
  const numbers = new Map<string, string>();
  if (devices.length > 0) {
    const output = runDebugfs(image, devices.map(([name]) => `stat "/${name}"`));
    const found = [...output.matchAll(/Device major\/minor number: (\d+):(\d+)/g)];
    devices.forEach(([name], i) => numbers.set(name, found[i] ? ` dev ${Number(found[i][1])}:${Number(found[i][2])}` : ' dev ?'));
  }
  const counts = new Map<number, number>();
  for (const row of rows.values()) if ((row.mode & 0o170000) !== 0o040000) counts.set(row.ino, (counts.get(row.ino) ?? 0) + 1);
  const first = new Map<number, string>();
  const out = new Map<string, string>();
  for (const name of [...rows.keys()].sort(byHostOrder)) {
    const row = rows.get(name)!;
    let link = '';
    if ((counts.get(row.ino) ?? 0) > 1) {
      link = ` link-of ${first.get(row.ino) ?? name}`;
      if (!first.has(row.ino)) first.set(row.ino, name);
    }
    out.set(name, describe(row.mode, row.uid, row.gid, row.size, numbers.get(name) ?? '', link));
  }
  return out;
}

/** hostListing's order: a depth-first walk with names sorted in each directory. */
function byHostOrder(a: string, b: string): number {
  const left = a.split('/');
  const right = b.split('/');
  for (let i = 0; i < Math.min(left.length, right.length); i++) {
    if (left[i] !== right[i]) return left[i]! < right[i]! ? -1 : 1;
  }
  return left.length - right.length;
}

export function compareListings(expected: Map<string, string>, actual: Map<string, string>): string[] {
  const differences: string[] = [];
  for (const [name, description] of expected) {
    const other = actual.get(name);
    if (other === undefined) differences.push(`missing ${name} (${description})`);
    else if (other !== description) differences.push(`${name}: expected ${description}, got ${other}`);
  }
  for (const name of actual.keys()) if (!expected.has(name)) differences.push(`unexpected ${name}`);
  return differences;
}
