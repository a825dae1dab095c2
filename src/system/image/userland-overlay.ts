/**
 * Puts the project's own guest programs into an image: every i386 ELF
 * executable userland/NAME/build/PROGRAM becomes /opt/ir0/NAME/PROGRAM, and
 * the e2e scripts userland/e2e-scripts/FILE become /opt/ir0/e2e-scripts/FILE.
 * Synchronised on every build (a file is rewritten only when its bytes
 * changed, stale ones are removed), so rebuilding a test program does not
 * rebuild the Debian part.
 */
import { chmodSync, closeSync, copyFileSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, readSync,
  rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { IMAGE_USERLAND_DIRECTORY } from './image-paths.js';

const EM_386 = 3;
const ET_EXEC = 2;
const ET_DYN = 3;
const SCRIPT_FOLDER = 'e2e-scripts';

/** True for a 32-bit little-endian i386 executable or PIE (System V ABI, ELF header, Figure 4-3). */
export function isI386Executable(path: string): boolean {
  const header = Buffer.alloc(20);
  let fd: number;
  try {
    if (!statSync(path).isFile()) return false;
    fd = openSync(path, 'r');
  } catch {
    return false;
  }
  try {
    if (readSync(fd, header, 0, header.length, 0) < header.length) return false;
  } finally {
    closeSync(fd);
  }
  const magic = header[0] === 0x7f && header.toString('latin1', 1, 4) === 'ELF';
  const type = header.readUInt16LE(16);
  return magic && header[4] === 1 && header[5] === 1 && (type === ET_EXEC || type === ET_DYN) &&
    header.readUInt16LE(18) === EM_386;
}

export interface OverlayFile {
  /** Path inside the image, without a leading slash: opt/ir0/FOLDER/NAME. */
  target: string;
  source: string;
}

/** The files the overlay installs, sorted by target. */
export function overlayFiles(userland: string): OverlayFile[] {
  const files: OverlayFile[] = [];
  if (!existsSync(userland)) return files;
  for (const folder of readdirSync(userland).sort()) {
    const isScripts = folder === SCRIPT_FOLDER;
    const directory = isScripts ? join(userland, folder) : join(userland, folder, 'build');
    if (!existsSync(directory) || !statSync(directory).isDirectory()) continue;
    for (const name of readdirSync(directory).sort()) {
      const source = join(directory, name);
      if (isScripts ? statSync(source).isFile() : isI386Executable(source)) {
        files.push({ target: `${IMAGE_USERLAND_DIRECTORY}/${folder}/${name}`, source });
      }
    }
  }
  return files;
}

function sameBytes(a: string, b: string): boolean {
  if (!existsSync(b) || statSync(a).size !== statSync(b).size) return false;
  return readFileSync(a).equals(readFileSync(b));
}

/** Removes what is under opt/ir0 but not wanted; returns how many entries went. */
function removeStale(root: string, wanted: Set<string>): number {
  const base = join(root, IMAGE_USERLAND_DIRECTORY);
  let removed = 0;
  const folders = new Set([...wanted].map((target) => target.split('/')[2]));
  for (const folder of existsSync(base) ? readdirSync(base) : []) {
    const path = join(base, folder);
    if (!folders.has(folder) || !statSync(path).isDirectory()) {
      rmSync(path, { recursive: true, force: true });
      removed++;
      continue;
    }
    for (const name of readdirSync(path)) {
      if (!wanted.has(`${IMAGE_USERLAND_DIRECTORY}/${folder}/${name}`)) {
        rmSync(join(path, name), { recursive: true, force: true });
        removed++;
      }
    }
  }
  return removed;
}

/** Installs the overlay into `root`; returns the number of files written or removed. */
export function syncUserlandOverlay(root: string, userland: string): { changed: number; files: OverlayFile[] } {
  const files = overlayFiles(userland);
  let changed = removeStale(root, new Set(files.map((file) => file.target)));
  for (const file of files) {
    const destination = join(root, file.target);
    if (sameBytes(file.source, destination)) continue;
    mkdirSync(join(destination, '..'), { recursive: true });
    rmSync(destination, { force: true });
    copyFileSync(file.source, destination);
    // Programs and scripts are executable in the image whatever their mode in the checkout.
    chmodSync(destination, 0o755);
    changed++;
  }
  return { changed, files };
}
