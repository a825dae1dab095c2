/**
 * Where the project keeps what it downloads: `.cache/` at the checkout's root
 * (ignored by git). The Debian fetcher owns `.cache/debian/`: a private apt
 * state (sources, lists, archives, dpkg status) and the extracted root.
 */
import { fileURLToPath } from 'node:url';
import { join, resolve } from 'node:path';

/** The checkout's root: this file is src/system/debian/ (or dist/system/debian/ once built). */
export function projectRoot(): string {
  return resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..', '..');
}

export interface DebianPaths {
  /** .cache/debian */
  readonly base: string;
  /** apt's private configuration: sources.list, sources.list.d/, preferences. */
  readonly etc: string;
  /** apt's Dir::State (lists/, the empty dpkg status file). */
  readonly state: string;
  /** apt's Dir::Cache (archives/ holds the downloaded .deb files). */
  readonly cache: string;
  readonly archives: string;
  /** The packages' files, extracted with the usrmerge layout of bookworm. */
  readonly root: string;
}

export function debianPaths(base = join(projectRoot(), '.cache', 'debian')): DebianPaths {
  const cache = join(base, 'apt-cache');
  return {
    base,
    etc: join(base, 'apt-etc'),
    state: join(base, 'apt-state'),
    cache,
    archives: join(cache, 'archives'),
    root: join(base, 'root'),
  };
}
