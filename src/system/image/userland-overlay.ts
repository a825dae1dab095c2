/**
 * Puts the project's own guest programs into an image: every i386 ELF
 * executable under userland/NAME/build/ goes to /opt/ir0/bin/, and the e2e
 * scripts of userland/e2e-scripts/ to /opt/ir0/e2e/. Synchronised on every
 * build (a file is rewritten only when its bytes changed, stale ones are
 * removed), so rebuilding a test program does not rebuild the Debian part.
 */
import { chmodSync, closeSync, copyFileSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, readSync,
  rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { IMAGE_PROGRAM_DIRECTORY, IMAGE_SCRIPT_DIRECTORY } from './image-paths.js';

const EM_386 = 3;
const ET_EXEC = 2;
const ET_DYN = 3;

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
  /** Path inside the image, without a leading slash. */
  target: string;
  source: string;
}

/** The files the overlay would install, sorted by target; a later duplicate name is reported, not copied. */
export function overlayFiles(userland: string): { files: OverlayFile[]; duplicates: string[] } {
  const files = new Map<string, OverlayFile>();
  const duplicates: string[] = [];
  if (!existsSync(userland)) return { files: [], duplicates };
  for (const project of readdirSync(userland).sort()) {
    const build = join(userland, project, 'build');
    if (!existsSync(build) || !statSync(build).isDirectory()) continue;
    for (const name of readdirSync(build).sort()) {
      const source = join(build, name);
      if (!isI386Executable(source)) continue;
      const target = `${IMAGE_PROGRAM_DIRECTORY}/${name}`;
      if (files.has(target)) duplicates.push(`${project}/build/${name}`);
      else files.set(target, { target, source });
    }
  }
  const scripts = join(userland, 'e2e-scripts');
  if (existsSync(scripts)) {
    for (const name of readdirSync(scripts).sort()) {
      const source = join(scripts, name);
      if (statSync(source).isFile()) files.set(`${IMAGE_SCRIPT_DIRECTORY}/${name}`, { target: `${IMAGE_SCRIPT_DIRECTORY}/${name}`, source });
    }
  }
  return { files: [...files.values()].sort((a, b) => a.target.localeCompare(b.target)), duplicates };
}

function sameBytes(a: string, b: string): boolean {
  if (!existsSync(b) || statSync(a).size !== statSync(b).size) return false;
  return readFileSync(a).equals(readFileSync(b));
}

/** Installs the overlay into `root`; returns the number of files written or removed. */
export function syncUserlandOverlay(root: string, userland: string): { changed: number; files: OverlayFile[]; duplicates: string[] } {
  const { files, duplicates } = overlayFiles(userland);
  let changed = 0;
  const wanted = new Set(files.map((file) => file.target));
  for (const directory of [IMAGE_PROGRAM_DIRECTORY, IMAGE_SCRIPT_DIRECTORY]) {
    const path = join(root, directory);
    mkdirSync(path, { recursive: true });
    for (const name of readdirSync(path)) {
      if (!wanted.has(`${directory}/${name}`)) {
        rmSync(join(path, name), { recursive: true, force: true });
        changed++;
      }
    }
  }
  for (const file of files) {
    const destination = join(root, file.target);
    if (sameBytes(file.source, destination)) continue;
    rmSync(destination, { force: true });
    copyFileSync(file.source, destination);
    // Programs and scripts are executable in the image whatever their mode in the checkout.
    chmodSync(destination, 0o755);
    changed++;
  }
  return { changed, files, duplicates };
}
