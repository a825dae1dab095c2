/**
 * Unpacks .deb files into the private root with the layout of a bookworm
 * system after usrmerge: /bin, /sbin and /lib are symbolic links into /usr, so
 * a package's ./lib/ld-linux.so.2 lands in usr/lib/. Each extracted file name
 * is recorded in root/.ir0-extracted, which makes extraction idempotent.
 */
import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, lstatSync, mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { basename, join } from 'node:path';

const MERGED_DIRECTORIES = ['bin', 'sbin', 'lib'];

/** Creates root/usr/{bin,sbin,lib} and the usrmerge links root/{bin,sbin,lib} -> usr/... */
export function prepareMergedRoot(root: string): void {
  for (const dir of MERGED_DIRECTORIES) {
    mkdirSync(join(root, 'usr', dir), { recursive: true });
    const link = join(root, dir);
    if (!existsSync(link) && !isSymlink(link)) symlinkSync(join('usr', dir), link);
  }
}

function isSymlink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

function extractedRecord(root: string): Set<string> {
  const record = join(root, '.ir0-extracted');
  return new Set(existsSync(record) ? readFileSync(record, 'utf8').split('\n').filter((l) => l !== '') : []);
}

/**
 * Extracts each .deb's data archive. tar's --keep-directory-symlink keeps the
 * usrmerge links instead of replacing them by directories (dpkg-deb -x would not).
 * Returns the number of packages newly extracted.
 */
export function extractDebs(root: string, debs: readonly string[]): number {
  prepareMergedRoot(root);
  const done = extractedRecord(root);
  let count = 0;
  for (const deb of debs) {
    const name = basename(deb);
    if (done.has(name)) continue;
    const result = spawnSync('sh', ['-c',
      'dpkg-deb --fsys-tarfile "$1" | tar -x --keep-directory-symlink --no-same-owner -C "$2"', 'extract', deb, root],
    { encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`extracting ${name} failed: ${result.stderr}`);
    appendFileSync(join(root, '.ir0-extracted'), name + '\n');
    count++;
  }
  return count;
}
