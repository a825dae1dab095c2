/**
 * The image recipe: `buildImage()` makes a root directory from Debian bookworm
 * i386 packages and their dependencies (apt's resolver, in the private apt of
 * src/system/debian), extracted with bookworm's usrmerge layout (/bin, /sbin,
 * /lib are links into /usr), plus the essentials of root-essentials.ts and the
 * project's own programs (userland-overlay.ts). The Debian part is cached by
 * image-key.ts: a second build with the same inputs runs no apt and copies
 * nothing but changed userland files. Python's standard library is compiled
 * to bytecode as Debian's maintainer scripts would (python-bytecode.ts).
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { DebianFetchError, debianPaths, fetchDebianPackages, type DebianPaths } from '../debian/index.js';
import { withBuildLock } from './build-lock.js';
import { imageKey, RECIPE_VERSION } from './image-key.js';
import { defaultImageRoot, MANIFEST_NAME, userlandDirectory } from './image-paths.js';
import { compilePythonBytecode } from './python-bytecode.js';
import { addRootEssentials } from './root-essentials.js';
import { syncUserlandOverlay } from './userland-overlay.js';

/** The default set of the kernel-core issue: busybox, dash, coreutils, python3.11 with its standard library. */
export const DEFAULT_PACKAGES: readonly string[] = [
  'busybox-static', 'dash', 'coreutils', 'python3.11', 'python3.11-minimal', 'libpython3.11-stdlib',
  // The terminfo entries (linux, vt100, xterm, screen) readline needs for python3's line editing on the console.
  'ncurses-base',
];

export interface ImageOptions {
  /** The root directory to build; default .cache/image/root. */
  out?: string;
  packages?: readonly string[];
  /** Install the project's userland programs and e2e scripts under /opt/ir0 (default true). */
  userland?: boolean;
  /** Re-download apt's package lists first. */
  update?: boolean;
  /** One line per step and per downloaded package. */
  onProgress?: (message: string) => void;
  /** The private apt (tests may point it elsewhere). */
  debian?: DebianPaths;
}

export interface ImageManifest {
  recipe: number;
  key: string;
  requested: string[];
  packages: { name: string; version: string; architecture: string }[];
}

export interface ImageResult {
  root: string;
  manifest: ImageManifest;
  /** True when the Debian part was reused as it was. */
  cached: boolean;
  /** Userland files written or removed by this build. */
  userlandChanged: number;
}

/** An error whose message says what went wrong and what to do. */
export class ImageError extends Error {}

export function readManifest(root: string): ImageManifest | undefined {
  try {
    return JSON.parse(readFileSync(join(root, MANIFEST_NAME), 'utf8')) as ImageManifest;
  } catch {
    return undefined;
  }
}

/** apt fails when another apt holds the archive lock (the lockstep tests fetch too): wait and retry. */
async function fetchWithRetry(names: readonly string[], paths: DebianPaths, update: boolean,
  progress: (message: string) => void): Promise<Awaited<ReturnType<typeof fetchDebianPackages>>> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await fetchDebianPackages(names, { paths, update: update && attempt === 0, onProgress: progress });
    } catch (error) {
      if (!(error instanceof DebianFetchError) || !/Could not get lock|Unable to lock/.test(error.message) || attempt >= 120) {
        throw error;
      }
      if (attempt === 0) progress('image: another apt holds the lock; waiting');
      await sleep(1000);
    }
  }
}

async function buildDebianPart(out: string, names: readonly string[], paths: DebianPaths, update: boolean,
  progress: (message: string) => void): Promise<ImageManifest> {
  if (existsSync(out) && readManifest(out) === undefined && readdirSync(out).length > 0) {
    throw new ImageError(`refusing to replace ${out}: it is not empty and was not built by ir0 image build`);
  }
  const staging = `${out}.building`;
  rmSync(staging, { recursive: true, force: true });
  progress(`image: resolving ${names.join(' ')}`);
  // One fetch at a time per private apt: builds of different images share its archive cache.
  const fetched = await withBuildLock(join(paths.base, 'image-fetch.lock'),
    () => fetchWithRetry(names, { ...paths, root: staging }, update, progress));
  rmSync(join(staging, '.ir0-extracted'), { force: true });
  addRootEssentials(staging);
  compilePythonBytecode(staging, progress);
  const key = imageKey(names, paths);
  if (key === undefined) throw new ImageError('apt left no package lists behind');
  const manifest: ImageManifest = {
    recipe: RECIPE_VERSION,
    key,
    requested: [...names],
    packages: fetched.packages.map(({ name, version, architecture }) => ({ name, version, architecture }))
      .sort((a, b) => a.name.localeCompare(b.name)),
  };
  writeFileSync(join(staging, MANIFEST_NAME), JSON.stringify(manifest, null, 2) + '\n');
  rmSync(out, { recursive: true, force: true });
  renameSync(staging, out);
  progress(`image: ${manifest.packages.length} packages in ${out}`);
  return manifest;
}

/** Builds (or reuses) the image; safe to call from several processes at once. */
export async function buildImage(options: ImageOptions = {}): Promise<ImageResult> {
  const out = resolve(options.out ?? defaultImageRoot());
  const names = options.packages ?? DEFAULT_PACKAGES;
  const paths = options.debian ?? debianPaths();
  const progress = options.onProgress ?? (() => {});
  if (names.length === 0) throw new ImageError('no packages requested');
  mkdirSync(dirname(out), { recursive: true });
  return withBuildLock(`${out}.lock`, async () => {
    const existing = readManifest(out);
    const key = imageKey(names, paths);
    const cached = options.update !== true && existing !== undefined && key !== undefined && existing.key === key;
    const manifest = cached ? existing : await buildDebianPart(out, names, paths, options.update === true, progress);
    const overlay = syncUserlandOverlay(out, options.userland === false ? join(out, '.no-userland') : userlandDirectory());
    if (overlay.changed > 0) progress(`image: ${overlay.changed} userland file(s) updated under /opt/ir0`);
    return { root: out, manifest, cached, userlandChanged: overlay.changed };
  }, () => progress(`image: waiting for another build of ${out}`));
}
