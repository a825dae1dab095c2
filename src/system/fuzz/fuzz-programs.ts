/**
 * Where the fuzz programs are (userland/fuzz/build) and the root they run
 * from: /bin/sysfuzz, /bin/fuzz-clean, /bin/hello, and the ELF harness and reproducers.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { RootFile } from './captured-run.js';

export const fuzzBuildDirectory = path.resolve(import.meta.dirname, '../../../userland/fuzz/build');

export const fuzzProgramNames = ['sysfuzz', 'fuzz-clean', 'hello', 'orphan-signal', 'elfexec', 'exit-raw', 'tls-after-exec', 'pwrite-negative'] as const;

/** True when `make -C userland` has built the fuzz programs. */
export function fuzzProgramsBuilt(): boolean {
  return fuzzProgramNames.every((name) => fs.existsSync(path.join(fuzzBuildDirectory, name)));
}

export function fuzzRoot(): RootFile[] {
  return fuzzProgramNames.map((name) => ({ name: `bin/${name}`, data: fs.readFileSync(path.join(fuzzBuildDirectory, name)) }));
}
