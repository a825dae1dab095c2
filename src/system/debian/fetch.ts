/**
 * Fetches Debian bookworm i386 packages and their dependencies into the
 * project's cache and extracts them: `fetchDebianPackages(['gzip'])` leaves
 * gzip and libc6 under .cache/debian/root/. Idempotent: the package lists are
 * downloaded once (or when `update` is asked for), .deb files are kept in the
 * private archive cache, and each package is extracted once.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { hasConfiguredMirror, prepareAptSandbox, redactUris } from './apt-sandbox.js';
import { runAptGet } from './apt-run.js';
import { debianPaths, type DebianPaths } from './cache-paths.js';
import { extractDebs } from './extract.js';

export interface DebianPackage {
  name: string;
  version: string;
  architecture: string;
  /** The .deb in the private archive cache. */
  file: string;
}

export interface FetchOptions {
  /** Re-download the package lists even if present. */
  update?: boolean;
  /** Progress messages (one line each, no host names). Default: none. */
  onProgress?: (message: string) => void;
  paths?: DebianPaths;
}

export interface FetchResult {
  /** The extracted root (usrmerge layout). */
  root: string;
  /** The requested packages and everything they depend on. */
  packages: DebianPackage[];
}

/** An error whose message says what to do (mirror unreachable, no apt, ...). */
export class DebianFetchError extends Error {}

function listsPresent(paths: DebianPaths): boolean {
  const lists = join(paths.state, 'lists');
  return existsSync(lists) && readdirSync(lists).some((name) => /_Packages(\.\w+)?$/.test(name));
}

/** apt stores `name_1:2.3_i386.deb` as `name_1%3a2.3_i386.deb`. */
function debFileName(name: string, version: string, architecture: string): string {
  return `${name}_${version.replace(/:/g, '%3a')}_${architecture}.deb`;
}

export async function fetchDebianPackages(names: readonly string[], options: FetchOptions = {}): Promise<FetchResult> {
  const paths = options.paths ?? debianPaths();
  const progress = options.onProgress ?? (() => {});
  prepareAptSandbox(paths);
  if (!hasConfiguredMirror(paths)) {
    throw new DebianFetchError('no Debian mirror is configured on this host (/etc/apt/sources.list or sources.list.d)');
  }

  if (options.update === true || !listsPresent(paths)) {
    progress('debian: downloading the package lists (bookworm, i386)');
    const update = await runAptGet(paths, ['-qq', 'update']);
    if (!listsPresent(paths)) {
      throw new DebianFetchError(`cannot download the Debian package lists (is the mirror reachable?):\n${update.stderr.trim()}`);
    }
    // A suite that fails (a security mirror in mid-sync) leaves the others usable.
    if (update.status !== 0) progress(`debian: warning: some package lists failed; using the others:\n${update.stderr.trim()}`);
  }

  // With an empty dpkg status every dependency is "to be installed", so the
  // simulation lists the complete closure: "Inst gzip (1.12-1 Debian:12.11/stable [i386])".
  const simulation = await runAptGet(paths, ['-s', 'install', '--download-only', ...names]);
  if (simulation.status !== 0) {
    throw new DebianFetchError(`cannot resolve ${names.join(' ')}:\n${simulation.stderr.trim()}`);
  }
  const packages: DebianPackage[] = [];
  for (const match of simulation.stdout.matchAll(/^Inst (\S+) \((\S+) .*\[(\S+)\]\)/gm)) {
    const [, name, version, architecture] = match;
    packages.push({ name, version, architecture, file: join(paths.archives, debFileName(name, version, architecture)) });
  }

  const missing = packages.filter((p) => !existsSync(p.file));
  if (missing.length > 0) {
    progress(`debian: downloading ${missing.length} package(s): ${missing.map((p) => p.name).join(' ')}`);
    let fetched = 0;
    const download = await runAptGet(paths, ['install', '--download-only', ...names], (line) => {
      // "Get:1 URI SUITE/COMPONENT i386 NAME i386 VERSION [SIZE]"
      const get = /^Get:\d+ \S+ \S+ \S+ (\S+) \S+ (\S+) \[([^\]]+)\]/.exec(line);
      if (get) progress(`debian: [${++fetched}/${missing.length}] ${get[1]} ${get[2]} (${get[3]})`);
      else if (/^Fetched /.test(line)) progress(`debian: ${redactUris(line)}`);
    });
    if (download.status !== 0) {
      throw new DebianFetchError(`downloading ${names.join(' ')} failed (is the mirror reachable?):\n${download.stderr.trim()}`);
    }
  }
  const absent = packages.filter((p) => !existsSync(p.file));
  if (absent.length > 0) throw new DebianFetchError(`apt did not leave ${absent.map((p) => p.file).join(', ')}`);

  const extracted = extractDebs(paths.root, packages.map((p) => p.file));
  if (extracted > 0) progress(`debian: extracted ${extracted} package(s) into ${paths.root}`);
  return { root: paths.root, packages };
}
