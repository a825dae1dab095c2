/**
 * A private apt for Debian bookworm i386: its own sources (copied from the
 * host's configured mirrors), lists, archives and an empty dpkg status, all
 * under .cache/debian/. The host's dpkg database and apt state are never
 * written, as root too: every directory apt writes is overridden on its
 * command line (apt.conf(5) "Dir" options).
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DebianPaths } from './cache-paths.js';

const HOST_SOURCE_LIST = '/etc/apt/sources.list';
const HOST_SOURCE_PARTS = '/etc/apt/sources.list.d';

/** The distribution the image is built from; the host's mirror must carry it. */
export const SUITE = 'bookworm';

/**
 * Creates the private directories and copies the host's mirror configuration
 * (one-line sources.list entries and deb822 *.sources files) into them. The
 * URIs are copied, never printed: the mirror is the host's business.
 */
export function prepareAptSandbox(paths: DebianPaths): void {
  for (const dir of [paths.etc, join(paths.etc, 'sources.list.d'), join(paths.etc, 'preferences.d'),
    join(paths.state, 'lists', 'partial'), join(paths.archives, 'partial'), join(paths.base, 'log')]) {
    mkdirSync(dir, { recursive: true });
  }
  const status = join(paths.state, 'status');
  if (!existsSync(status)) writeFileSync(status, '');

  let lines = '';
  if (existsSync(HOST_SOURCE_LIST)) {
    lines = readFileSync(HOST_SOURCE_LIST, 'utf8').split('\n')
      .filter((line) => /^\s*deb\s/.test(line)).join('\n');
  }
  writeFileSync(join(paths.etc, 'sources.list'), lines === '' ? '' : lines + '\n');
  if (existsSync(HOST_SOURCE_PARTS)) {
    for (const name of readdirSync(HOST_SOURCE_PARTS)) {
      if (name.endsWith('.sources') || name.endsWith('.list')) {
        copyFileSync(join(HOST_SOURCE_PARTS, name), join(paths.etc, 'sources.list.d', name));
      }
    }
  }
}

/** True when the host has at least one Debian mirror configured. */
export function hasConfiguredMirror(paths: DebianPaths): boolean {
  const parts = join(paths.etc, 'sources.list.d');
  const texts = [readFileSync(join(paths.etc, 'sources.list'), 'utf8')];
  for (const name of readdirSync(parts)) texts.push(readFileSync(join(parts, name), 'utf8'));
  return texts.some((text) => /^\s*(deb\s|URIs:)/m.test(text));
}

/** The `-o` options that point apt at the sandbox and make i386 the only architecture. */
export function aptOptions(paths: DebianPaths): string[] {
  const options: Record<string, string> = {
    'APT::Architecture': 'i386',
    'APT::Architectures': 'i386',
    'Dir::State': paths.state,
    'Dir::State::status': join(paths.state, 'status'),
    'Dir::Cache': paths.cache,
    'Dir::Etc::SourceList': join(paths.etc, 'sources.list'),
    'Dir::Etc::SourceParts': join(paths.etc, 'sources.list.d'),
    'Dir::Etc::Preferences': join(paths.etc, 'preferences'),
    'Dir::Etc::PreferencesParts': join(paths.etc, 'preferences.d'),
    'Dir::Log': join(paths.base, 'log'),
    'Debug::NoLocking': 'false',
    'APT::Get::List-Cleanup': 'true',
    'APT::Install-Recommends': 'false',
    'APT::Get::Assume-Yes': 'true',
  };
  // As root apt drops to the _apt user to download, which cannot write into a
  // checkout owned by root; the sandbox is private, so download as ourselves.
  if (process.getuid?.() === 0) options['APT::Sandbox::User'] = 'root';
  return Object.entries(options).flatMap(([key, value]) => ['-o', `${key}=${value}`]);
}

/** Replaces URLs in apt's messages so the host's mirror name is not printed. */
export function redactUris(text: string): string {
  return text.replace(/\b[a-z+]+:\/\/[^\s'"]+/g, '<mirror>');
}
