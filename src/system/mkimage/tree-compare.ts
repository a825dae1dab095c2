/**
 * Compares two host directory trees the way the ext2 tests need: entry names,
 * types, permission bits, owners, sizes, contents, symlink targets, device
 * numbers, and which names are hard links of one another. Returns the
 * differences as lines (empty when equal). `lost+found` is ignored.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface CompareOptions {
  owners?: boolean;
  /** Compare modification times of regular files. */
  mtimes?: boolean;
  /**
   * What debugfs rdump can give back: regular files, directories and symlinks
   * only, permission bits without setuid/setgid/sticky (its chown after chmod
   * clears them), no hard-link identity. Check those with debugfsListing.
   */
  rdumpLimits?: boolean;
}

function describe(root: string, relative: string, options: CompareOptions, links: Map<string, string>): string {
  const full = path.join(root, relative);
  const stat = fs.lstatSync(full);
  const owner = options.owners ? ` ${stat.uid}:${stat.gid}` : '';
  if (stat.isSymbolicLink()) return `symlink -> ${fs.readlinkSync(full)}${owner}`;
  const mode = (stat.mode & (options.rdumpLimits ? 0o777 : 0o7777)).toString(8);
  if (stat.isDirectory()) return `dir ${mode}${owner}`;
  if (stat.isFile()) {
    let linkNote = '';
    if (stat.nlink > 1 && !options.rdumpLimits) {
      const key = `${stat.dev}:${stat.ino}`;
      linkNote = ` link-of ${links.get(key) ?? relative}`;
      if (!links.has(key)) links.set(key, relative);
    }
    const mtime = options.mtimes ? ` mtime ${Math.floor(stat.mtimeMs / 1000)}` : '';
    const data = fs.readFileSync(full);
    let hash = 0x811c9dc5;
    for (const byte of data) hash = Math.imul(hash ^ byte, 0x01000193) >>> 0;
    return `file ${mode}${owner} size ${stat.size} fnv ${hash.toString(16)}${linkNote}${mtime}`;
  }
  if (stat.isCharacterDevice() || stat.isBlockDevice()) return `${stat.isCharacterDevice() ? 'char' : 'block'} ${mode}${owner} rdev ${stat.rdev}`;
  if (stat.isFIFO()) return `fifo ${mode}${owner}`;
  return `other ${mode}`;
}

function listing(root: string, options: CompareOptions): Map<string, string> {
  const out = new Map<string, string>();
  const links = new Map<string, string>();
  const walk = (relative: string): void => {
    for (const name of fs.readdirSync(path.join(root, relative)).sort()) {
      const child = relative ? `${relative}/${name}` : name;
      if (child === 'lost+found') continue;
      const stat = fs.lstatSync(path.join(root, child));
      if (options.rdumpLimits && !stat.isFile() && !stat.isDirectory() && !stat.isSymbolicLink()) continue;
      out.set(child, describe(root, child, options, links));
      if (stat.isDirectory()) walk(child);
    }
  };
  walk('');
  return out;
}

export function compareTrees(expected: string, actual: string, options: CompareOptions = {}): string[] {
  const left = listing(expected, options);
  const right = listing(actual, options);
  const differences: string[] = [];
  for (const [name, description] of left) {
    const other = right.get(name);
    if (other === undefined) differences.push(`missing ${name} (${description})`);
    else if (other !== description) differences.push(`${name}: expected ${description}, got ${other}`);
  }
  for (const name of right.keys()) if (!left.has(name)) differences.push(`unexpected ${name} (${right.get(name)})`);
  return differences;
}
