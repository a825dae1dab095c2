/**
 * Reads that sleep for vfat files: before read(2) copies a file's bytes, the clusters
 * it needs (and a read-ahead window after them) that are not cached are submitted to
 * the disk without waiting; the caller sleeps on the returned queue and restarts the
 * read when the disk's interrupt has filled the cache (blocking is a restart).
 */
import type { WaitQueue } from '../../lib/index.js';
import type { FatNode, FatVolume } from './volume.js';

/**
 * Starts reading the uncached clusters of [position, position + count) and of up to `readAhead`
 * bytes after them; the queue to sleep on while the requested range (not the read-ahead) is in
 * flight, or null when readData would not wait for the disk.
 */
export function prefetchFileData(volume: FatVolume, node: FatNode, position: number, count: number, readAhead: number): WaitQueue | null {
  if (!volume.device.prefetch || position >= node.entry.size || count <= 0) return null;
  const chain = volume.chainOf(node);
  if (typeof chain === 'number') return null;
  const limit = Math.min(node.entry.size, chain.length * volume.geometry.clusterSize);
  const wanted = Math.min(limit, position + count);
  const wait = prefetchRange(volume, chain, position, wanted, false);
  prefetchRange(volume, chain, wanted, Math.min(limit, wanted + readAhead), true);
  return wait;
}

/** Prefetches the clusters holding file bytes [from, to), one range per run of consecutive clusters. */
function prefetchRange(volume: FatVolume, chain: number[], from: number, to: number, readAhead: boolean): WaitQueue | null {
  const { clusterSize, firstDataSector, sectorsPerCluster } = volume.geometry;
  let wait: WaitQueue | null = null;
  for (let c = Math.floor(from / clusterSize), last = Math.ceil(to / clusterSize); c < last;) {
    let run = 1;
    while (c + run < last && chain[c + run] === chain[c]! + run) run++;
    const sector = firstDataSector + (chain[c]! - 2) * sectorsPerCluster;
    wait = volume.device.prefetch!(sector * 512, run * clusterSize, readAhead) ?? wait;
    c += run;
  }
  return wait;
}
