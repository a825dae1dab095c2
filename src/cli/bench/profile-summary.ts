/**
 * Summarises a V8 CPU profile (`node --cpu-prof`, a .cpuprofile JSON file): the
 * functions with the most self time, with their source location.
 * Usage: node dist/cli/bench/profile-summary.js FILE.cpuprofile [TOP]
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples?: number[];
}

export interface HotSpot {
  readonly name: string;
  readonly location: string;
  readonly samples: number;
  readonly percent: number;
}

/** Self samples per function (nodes of the same function and line are merged). */
export function hotSpots(profile: CpuProfile): HotSpot[] {
  const byKey = new Map<string, { name: string; location: string; samples: number }>();
  let total = 0;
  for (const node of profile.nodes) {
    const samples = node.hitCount ?? 0;
    total += samples;
    const frame = node.callFrame;
    const location = frame.url === '' ? '' : `${path.basename(frame.url)}:${frame.lineNumber + 1}`;
    const name = frame.functionName === '' ? '(anonymous)' : frame.functionName;
    const key = `${name}@${location}`;
    const entry = byKey.get(key) ?? { name, location, samples: 0 };
    entry.samples += samples;
    byKey.set(key, entry);
  }
  return [...byKey.values()]
    .filter((entry) => entry.samples > 0)
    .sort((a, b) => b.samples - a.samples)
    .map((entry) => ({ ...entry, percent: total === 0 ? 0 : (100 * entry.samples) / total }));
}

function main(args: string[]): number {
  if (args.length < 1) {
    process.stderr.write('usage: profile-summary FILE.cpuprofile [TOP]\n');
    return 2;
  }
  const profile = JSON.parse(readFileSync(args[0], 'utf8')) as CpuProfile;
  const top = args[1] === undefined ? 25 : Number(args[1]);
  for (const spot of hotSpots(profile).slice(0, top)) {
    process.stdout.write(`${spot.percent.toFixed(1).padStart(5)}%  ${spot.name.padEnd(36)} ${spot.location}\n`);
  }
  return 0;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = main(process.argv.slice(2));
}
