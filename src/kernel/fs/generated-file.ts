/**
 * Read-only files whose text is generated at read time (the procfs idea without
 * a procfs yet): boot creates /proc/meminfo, buddyinfo, slabinfo, cmdline,
 * uptime and version from functions over the live kernel state.
 */
import type { FileOps } from './inode.js';

export function generatedFileOps(generate: () => string): FileOps {
  return {
    seekable: true,
    read: (_file, count, position) => {
      const bytes = new TextEncoder().encode(generate());
      return bytes.slice(position, position + count);
    },
  };
}
