/**
 * The cache key of an image's Debian part: a hash of the recipe version, the
 * requested package names and the package lists apt resolves them against (the
 * InRelease files fix every version). Equal keys mean an equal set of packages
 * and versions, so a second build with the same inputs needs no apt at all.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DebianPaths } from '../debian/index.js';

/** Bump when the recipe's output changes for the same packages (layout, essentials). */
export const RECIPE_VERSION = 4;

/** The key, or undefined when the package lists have not been downloaded yet. */
export function imageKey(packages: readonly string[], paths: DebianPaths): string | undefined {
  const lists = join(paths.state, 'lists');
  if (!existsSync(lists)) return undefined;
  const releases = readdirSync(lists).filter((name) => /_(In)?Release$/.test(name)).sort();
  if (releases.length === 0) return undefined;
  const hash = createHash('sha256');
  hash.update(JSON.stringify({ recipe: RECIPE_VERSION, packages: [...new Set(packages)].sort() }));
  for (const name of releases) hash.update(name).update(readFileSync(join(lists, name)));
  return hash.digest('hex');
}
