#!/usr/bin/env node
// The ir0 command line. The TypeScript is built into dist/ by `npm ci` (prepare) or scripts/setup.sh.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const main = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(fileURLToPath(main))) {
  console.error('ir0: not built yet; run `npm ci` (or scripts/setup.sh) in the checkout first');
  process.exit(1);
}
const { main: run } = await import(main.href);
process.exitCode = await run(process.argv.slice(2));
