/**
 * The file allocation table: one entry per cluster holding the next cluster
 * of its chain, free (0), bad, or end of chain. Held in memory as the bytes of
 * the first FAT, written back sector by sector to every copy on flush (so
 * fsck.fat finds the copies equal). FAT12 packs 1.5 bytes per entry; FAT32
 * keeps the top 4 bits of an entry as they were.
 */
import type { FatType } from './boot-sector.js';

export const FREE = 0;

export class FatTable {
  readonly bytes: Uint8Array;
  private readonly dirty = new Set<number>();
  /** Highest valid cluster number + 1. */
  readonly limit: number;
  readonly endOfChain: number;
  readonly bad: number;
  freeCount: number;
  /** Where the next search for a free cluster starts (FSInfo's Nxt_Free). */
  nextFree = 2;

  constructor(readonly type: FatType, bytes: Uint8Array, clusterCount: number, private readonly bytesPerSector: number) {
    this.bytes = bytes;
    this.limit = clusterCount + 2;
    this.endOfChain = type === 12 ? 0xfff : type === 16 ? 0xffff : 0x0fffffff;
    this.bad = this.endOfChain - 8;
    let free = 0;
    for (let cluster = 2; cluster < this.limit; cluster++) if (this.get(cluster) === FREE) free++;
    this.freeCount = free;
  }

  get(cluster: number): number {
    const b = this.bytes;
    switch (this.type) {
      case 12: {
        const offset = cluster + (cluster >> 1);
        const word = b[offset]! | (b[offset + 1]! << 8);
        return cluster & 1 ? word >> 4 : word & 0xfff;
      }
      case 16: return b[2 * cluster]! | (b[2 * cluster + 1]! << 8);
      default: {
        const o = 4 * cluster;
        return (b[o]! | (b[o + 1]! << 8) | (b[o + 2]! << 16) | (b[o + 3]! << 24)) & 0x0fffffff;
      }
    }
  }

  set(cluster: number, value: number): void {
    const before = this.get(cluster);
    if (before === FREE && value !== FREE) this.freeCount--;
    if (before !== FREE && value === FREE) this.freeCount++;
    const b = this.bytes;
    switch (this.type) {
      case 12: {
        const offset = cluster + (cluster >> 1);
        if (cluster & 1) {
          b[offset] = (b[offset]! & 0x0f) | ((value << 4) & 0xf0);
          b[offset + 1] = value >> 4;
        } else {
          b[offset] = value;
          b[offset + 1] = (b[offset + 1]! & 0xf0) | ((value >> 8) & 0x0f);
        }
        this.touch(offset);
        this.touch(offset + 1);
        return;
      }
      case 16:
        b[2 * cluster] = value; b[2 * cluster + 1] = value >> 8;
        this.touch(2 * cluster);
        return;
      default: {
        const o = 4 * cluster;
        b[o] = value; b[o + 1] = value >> 8; b[o + 2] = value >> 16;
        b[o + 3] = (b[o + 3]! & 0xf0) | ((value >> 24) & 0x0f);
        this.touch(o);
      }
    }
  }

  /** An entry that ends a chain (EOC range 0x?FF8-0x?FFF). */
  isEnd(value: number): boolean {
    return value >= this.endOfChain - 7;
  }

  /** A valid data cluster number. */
  isCluster(value: number): boolean {
    return value >= 2 && value < this.limit;
  }

  /**
   * The clusters of the chain starting at `first`, or a string describing a
   * corruption (a loop, a free or out-of-range link).
   */
  chain(first: number): number[] | string {
    const clusters: number[] = [];
    let cluster = first;
    while (this.isCluster(cluster)) {
      clusters.push(cluster);
      if (clusters.length > this.limit) return `cluster chain from ${first} loops`;
      const next = this.get(cluster);
      if (this.isEnd(next)) return clusters;
      if (next === FREE || !this.isCluster(next)) return `cluster ${cluster} links to ${next.toString(16)}`;
      cluster = next;
    }
    return first === 0 ? clusters : `bad first cluster ${first}`;
  }

  /** Takes a free cluster (marked end of chain) or returns 0 when the volume is full. */
  allocate(): number {
    if (this.freeCount === 0) return 0;
    for (let n = 0; n < this.limit - 2; n++) {
      const cluster = 2 + ((this.nextFree - 2 + n) % (this.limit - 2));
      if (this.get(cluster) === FREE) {
        this.set(cluster, this.endOfChain);
        this.nextFree = cluster + 1 < this.limit ? cluster + 1 : 2;
        return cluster;
      }
    }
    return 0;
  }

  /** Frees every cluster of a chain (stopping at corruption). */
  freeChain(first: number): void {
    let cluster = first;
    for (let steps = 0; this.isCluster(cluster) && steps < this.limit; steps++) {
      const next = this.get(cluster);
      this.set(cluster, FREE);
      if (this.isEnd(next) || next === FREE) return;
      cluster = next;
    }
  }

  /** The sectors (relative to the FAT's start) changed since the last call, and forgets them. */
  takeDirtySectors(): number[] {
    const sectors = [...this.dirty].sort((a, b) => a - b);
    this.dirty.clear();
    return sectors;
  }

  private touch(byteOffset: number): void {
    this.dirty.add(Math.floor(byteOffset / this.bytesPerSector));
  }
}
