/**
 * Summarises a V8 CPU profile (`node --cpu-prof`, a .cpuprofile JSON file): the
 * functions with the most self time, with their source location, and the
 * hottest lines inside each (V8's positionTicks; lines of the compiled dist/ JS).
 * Usage: node dist/cli/bench/profile-summary.js FILE.cpuprofile [TOP] [--lines]
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  positionTicks?: { line: number; ticks: number }[];
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
  /** Lines by self samples, hottest first. */
  readonly lines: readonly { line: number; samples: number }[];
}

/** Self samples per function (nodes of the same function and line are merged). */
export function hotSpots(profile: CpuProfile): HotSpot[] {
  const byKey = new Map<string, { name: string; location: string; samples: number; lineSamples: Map<number, number> }>();
  let total = 0;
  for (const node of profile.nodes) {
    const samples = node.hitCount ?? 0;
    total += samples;
    const frame = node.callFrame;
    const location = frame.url === '' ? '' : `${path.basename(frame.url)}:${frame.lineNumber + 1}`;
    const name = frame.functionName === '' ? '(anonymous)' : frame.functionName;
    const key = `${name}@${location}`;
    const entry = byKey.get(key) ?? { name, location, samples: 0, lineSamples: new Map<number, number>() };
    entry.samples += samples;
    for (const tick of node.positionTicks ?? []) {
      entry.lineSamples.set(tick.line, (entry.lineSamples.get(tick.line) ?? 0) + tick.ticks);
    }
    byKey.set(key, entry);
  }
  return [...byKey.values()]
    .filter((entry) => entry.samples > 0)
    .sort((a, b) => b.samples - a.samples)
    .map((entry) => ({
      name: entry.name,
      location: entry.location,
      samples: entry.samples,
      percent: total === 0 ? 0 : (100 * entry.samples) / total,
      lines: [...entry.lineSamples].map(([line, count]) => ({ line, samples: count })).sort((a, b) => b.samples - a.samples),
    }));
}

function main(args: string[]): number {
  if (args.length < 1) {
    process.stderr.write('usage: profile-summary FILE.cpuprofile [TOP] [--lines]\n');
    return 2;
  }
  const profile = JSON.parse(readFileSync(args.filter((a) => a !== '--lines')[0], 'utf8')) as CpuProfile;
  const showLines = args.includes('--lines');
  const positional = args.filter((a) => a !== '--lines');
  const top = positional[1] === undefined ? 25 : Number(positional[1]);
  for (const spot of hotSpots(profile).slice(0, top)) {
    process.stdout.write(`${spot.percent.toFixed(1).padStart(5)}%  ${spot.name.padEnd(36)} ${spot.location}\n`);
    if (showLines) {
      const lines = spot.lines.slice(0, 4).map((l) => `${l.line}: ${((100 * l.samples) / spot.samples).toFixed(0)}%`);
      if (lines.length > 0) process.stdout.write(`        lines ${lines.join(', ')}\n`);
    }
  }
  return 0;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = main(process.argv.slice(2));
}
