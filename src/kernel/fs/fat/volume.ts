/**
 * A mounted FAT12/16/32 volume over a sector device: directories (with VFAT
 * long names), file data as cluster chains, allocation, and write-back of
 * the FAT to every copy plus the FAT32 FSInfo hints on sync. This is the
 * filesystem without the VFS: `ir0 mkimage --type fat32` and the tests use it
 * directly; filesystem.ts puts the VFS ops on top.
 */
import { EEXIST, EIO, ENOENT, ENOSPC, ENOTEMPTY, EUCLEAN, EFBIG, ENAMETOOLONG, EINVAL } from '../../lib/index.js';
import type { WaitQueue } from '../../lib/index.js';
import { parseBootSector, parseFsInfo, writeFsInfo } from './boot-sector.js';
import type { Geometry } from './boot-sector.js';
import { FatTable, FREE } from './fat-table.js';
import {
  ATTR_DIRECTORY, ATTR_LONG_NAME, ATTR_VOLUME_ID, DELETED, decodeShort, encodeLongName, encodeShort, ENTRY_SIZE, exactShortName,
  invalidLongName, longNamePart, MAX_LONG_NAME, shortAlias, shortDisplayName, shortNameChecksum,
} from './dirent.js';
import type { ShortEntry } from './dirent.js';
import { DirectoryIndex } from './directory-index.js';

/** What the volume needs of a disk: whole blocks of `bytesPerSector` (ext2's and the block layer's BlockDevice shape). */
export interface SectorDevice {
  readonly byteLength: number;
  readBlock(block: number, into: Uint8Array): number;
  writeBlock(block: number, data: Uint8Array): number;
  flush(): number;
  /** Starts reading uncached bytes without waiting (the block layer's BlockDevice.prefetch); null: nothing to wait for. */
  prefetch?(offset: number, length: number, readAhead?: boolean): WaitQueue | null;
}

/** A file or directory of the volume: its short entry, where its entries are, and its cluster chain. */
export interface FatNode {
  readonly isRoot: boolean;
  name: string;
  entry: ShortEntry;
  /** Volume byte offsets of its directory entries, LFN entries first, the short entry last. */
  slots: number[];
  /** The cluster chain, loaded on first use. */
  chain: number[] | null;
}

export const isDirectoryNode = (node: FatNode): boolean => node.isRoot || (node.entry.attr & ATTR_DIRECTORY) !== 0;

/** Largest FAT file: 4 GiB - 1. */
export const FAT_MAX_FILE = 0xffffffff;

export class FatVolume {
  readonly root: FatNode;
  private readonly sector: Uint8Array;
  /** Name indexes of the directories used so far, by directoryKey. */
  private readonly indexes = new Map<number, DirectoryIndex>();

  private constructor(readonly device: SectorDevice, readonly geometry: Geometry, readonly fat: FatTable, private readonly log: (line: string) => void) {
    this.sector = new Uint8Array(geometry.bytesPerSector);
    const rootEntry: ShortEntry = {
      name11: new Uint8Array(11).fill(0x20), attr: ATTR_DIRECTORY, caseFlags: 0, firstCluster: geometry.rootCluster, size: 0, mtime: 0, ctime: 0, atime: 0,
    };
    this.root = { isRoot: true, name: '/', entry: rootEntry, slots: [], chain: null };
  }

  /** Reads the boot sector and the first FAT; a negative errno (and a log line) if the volume is not a valid FAT. */
  static open(device: SectorDevice, log: (line: string) => void = () => {}): FatVolume | number {
    const boot = new Uint8Array(512);
    if (device.readBlock(0, boot) < 0) return -EIO;
    const geometry = parseBootSector(boot);
    if (typeof geometry === 'string') { log(`vfat: not a FAT volume: ${geometry}`); return -EINVAL; }
    if (geometry.bytesPerSector !== 512) { log(`vfat: ${geometry.bytesPerSector}-byte sectors are not supported`); return -EINVAL; }
    if (geometry.totalSectors * 512 > device.byteLength) { log('vfat: volume larger than its device'); return -EINVAL; }
    const fatBytes = new Uint8Array(geometry.sectorsPerFat * 512);
    for (let s = 0; s < geometry.sectorsPerFat; s++) {
      if (device.readBlock(geometry.firstFatSector + s, fatBytes.subarray(s * 512, s * 512 + 512)) < 0) return -EIO;
    }
    const fat = new FatTable(geometry.type, fatBytes, geometry.clusterCount, 512);
    const volume = new FatVolume(device, geometry, fat, log);
    if (geometry.type === 32 && geometry.fsInfoSector > 0) {
      const info = new Uint8Array(512);
      if (device.readBlock(geometry.fsInfoSector, info) === 0) {
        const hints = parseFsInfo(info);
        if (hints && fat.isCluster(hints.nextFree)) fat.nextFree = hints.nextFree;
      }
    }
    return volume;
  }

  /* ------------------------------------------------------------ sectors */

  private clusterSector(cluster: number): number {
    return this.geometry.firstDataSector + (cluster - 2) * this.geometry.sectorsPerCluster;
  }

  /** The volume sectors holding a node's data, in order (the fixed root region for FAT12/16). */
  private sectorsOf(node: FatNode): number[] | number {
    const g = this.geometry;
    if (node.isRoot && g.type !== 32) return Array.from({ length: g.rootDirSectors }, (_, i) => g.rootDirSector + i);
    const chain = this.chainOf(node);
    if (typeof chain === 'number') return chain;
    const sectors: number[] = [];
    for (const cluster of chain) for (let i = 0; i < g.sectorsPerCluster; i++) sectors.push(this.clusterSector(cluster) + i);
    return sectors;
  }

  chainOf(node: FatNode): number[] | number {
    if (node.chain) return node.chain;
    const chain = this.fat.chain(node.entry.firstCluster);
    if (typeof chain === 'string') { this.log(`vfat: ${node.name}: ${chain}`); return -EUCLEAN; }
    node.chain = chain;
    return chain;
  }

  private read(sector: number, into: Uint8Array): number {
    return this.device.readBlock(sector, into) < 0 ? -EIO : 0;
  }

  private write(sector: number, data: Uint8Array): number {
    return this.device.writeBlock(sector, data) < 0 ? -EIO : 0;
  }

  /** Writes 32 bytes at a volume byte offset (read-modify-write of its sector). */
  private writeEntry(offset: number, bytes: Uint8Array): number {
    const sector = Math.floor(offset / 512);
    if (this.read(sector, this.sector) < 0) return -EIO;
    this.sector.set(bytes, offset % 512);
    return this.write(sector, this.sector);
  }

  /* ------------------------------------------------------------ directories */

  /** Every live name in a directory ("." and ".." included for subdirectories), with its node. */
  list(directory: FatNode): FatNode[] | number {
    const sectors = this.sectorsOf(directory);
    if (typeof sectors === 'number') return sectors;
    const nodes: FatNode[] = [];
    let pending: number[][] = [];
    let pendingSlots: number[] = [];
    let pendingChecksum = -1;
    const buffer = new Uint8Array(512);
    for (const sector of sectors) {
      if (this.read(sector, buffer) < 0) return -EIO;
      for (let offset = 0; offset < 512; offset += ENTRY_SIZE) {
        const first = buffer[offset]!;
        if (first === 0) return nodes;
        const where = sector * 512 + offset;
        if (first === DELETED) { pending = []; pendingSlots = []; continue; }
        const attr = buffer[offset + 11]!;
        if (attr === ATTR_LONG_NAME) {
          if (first & 0x40) { pending = []; pendingSlots = []; pendingChecksum = buffer[offset + 13]!; }
          pending.unshift(longNamePart(buffer, offset));
          pendingSlots.push(where);
          continue;
        }
        const entry = decodeShort(buffer, offset);
        if (attr & ATTR_VOLUME_ID) { pending = []; pendingSlots = []; continue; }
        let name = shortDisplayName(entry.name11, entry.caseFlags);
        if (pending.length > 0 && pendingChecksum === shortNameChecksum(entry.name11)) {
          const units = pending.flat();
          const end = units.indexOf(0);
          name = String.fromCharCode(...(end < 0 ? units : units.slice(0, end)));
        }
        nodes.push({ isRoot: false, name, entry, slots: [...pendingSlots, where], chain: null });
        pending = [];
        pendingSlots = [];
      }
    }
    return nodes;
  }

  /** Finds `name` (case-insensitively, as vfat does) in a directory; the entry is read from the disk. */
  lookup(directory: FatNode, name: string): FatNode | number {
    const index = this.index(directory);
    if (typeof index === 'number') return index;
    const found = index.get(name);
    if (!found) return -ENOENT;
    const where = found.slots[found.slots.length - 1]!;
    if (this.read(Math.floor(where / 512), this.sector) < 0) return -EIO;
    return { isRoot: false, name: found.name, entry: decodeShort(this.sector, where % 512), slots: [...found.slots], chain: null };
  }

  /** Which index a directory has: its first cluster (-1 for the root). */
  private directoryKey(directory: FatNode): number {
    return directory.isRoot ? -1 : directory.entry.firstCluster;
  }

  /** The directory's name index, built by one scan on first use. */
  private index(directory: FatNode): DirectoryIndex | number {
    const key = this.directoryKey(directory);
    const cached = this.indexes.get(key);
    if (cached) return cached;
    const nodes = this.list(directory);
    if (typeof nodes === 'number') return nodes;
    const index = new DirectoryIndex();
    for (const node of nodes) index.add(node.name, node.entry.name11, node.slots);
    this.indexes.set(key, index);
    return index;
  }

  /** Creates a directory entry for `name` pointing at `entry`'s cluster; returns the new node. */
  addEntry(directory: FatNode, name: string, entry: Omit<ShortEntry, 'name11' | 'caseFlags'>): FatNode | number {
    if (name.length > MAX_LONG_NAME) return -ENAMETOOLONG;
    if (invalidLongName(name) || name.trim() === '' ) return -EINVAL;
    const index = this.index(directory);
    if (typeof index === 'number') return index;
    if (name === '.' || name === '..' || index.get(name)) return -EEXIST;
    let short = exactShortName(name);
    let records: Uint8Array[] = [];
    if (!short || index.hasShortName(short.name11)) {
      // "~N" from where the last alias of this stem stopped, then from 1 (names deleted since free low numbers).
      const stem = shortAlias(name, 1);
      let alias: Uint8Array | null = null;
      const start = index.aliasStart(stem);
      for (let n = start; n < start + 1_000_000 && !alias; n++) {
        const candidate = shortAlias(name, n > 999_999 ? n - 999_999 : n);
        if (!index.hasShortName(candidate)) { alias = candidate; index.aliasUsed(stem, n > 999_999 ? n - 999_999 : n); }
      }
      if (!alias) return -ENOSPC;
      short = { name11: alias, caseFlags: 0 };
      records = encodeLongName(name, shortNameChecksum(alias));
    }
    const full: ShortEntry = { ...entry, name11: short.name11, caseFlags: short.caseFlags };
    const shortBytes = new Uint8Array(ENTRY_SIZE);
    encodeShort(full, shortBytes, 0);
    records.push(shortBytes);
    const slots = this.freeSlots(directory, index, records.length);
    if (typeof slots === 'number') return slots;
    for (let i = 0; i < records.length; i++) {
      if (this.writeEntry(slots[i]!, records[i]!) < 0) return -EIO;
    }
    index.add(name, full.name11, slots);
    return { isRoot: false, name, entry: full, slots, chain: null };
  }

  /**
   * `count` consecutive free entry slots, growing the directory by a cluster when needed. The scan
   * starts at the index's scanFrom and moves it to the first free slot it passes.
   */
  private freeSlots(directory: FatNode, index: DirectoryIndex, count: number): number[] | number {
    const perSector = 512 / ENTRY_SIZE;
    for (let attempt = 0; attempt < 2; attempt++) {
      const sectors = this.sectorsOf(directory);
      if (typeof sectors === 'number') return sectors;
      const buffer = new Uint8Array(512);
      let run: number[] = [];
      let firstFree = -1;
      const startSector = Math.min(Math.floor(index.scanFrom / perSector), sectors.length);
      for (let s = startSector; s < sectors.length; s++) {
        const sector = sectors[s]!;
        if (this.read(sector, buffer) < 0) return -EIO;
        for (let offset = 0; offset < 512; offset += ENTRY_SIZE) {
          const first = buffer[offset]!;
          if (first === 0 || first === DELETED) {
            if (firstFree < 0) firstFree = s * perSector + offset / ENTRY_SIZE;
            run.push(sector * 512 + offset);
            if (run.length === count) {
              // Slots before the first free one seen are in use; the run itself is taken now.
              index.scanFrom = firstFree === s * perSector + offset / ENTRY_SIZE - count + 1 ? firstFree + count : firstFree;
              return run;
            }
          } else {
            run = [];
          }
        }
      }
      if (firstFree >= 0) index.scanFrom = firstFree;
      if (directory.isRoot && this.geometry.type !== 32) return -ENOSPC;
      if (sectors.length * 512 + this.geometry.clusterSize > 65536 * ENTRY_SIZE) return -ENOSPC;
      const grown = this.extend(directory, 1, true);
      if (grown < 0) return grown;
    }
    return -ENOSPC;
  }

  /** Marks the entries of `node`, a child of `directory`, deleted (its clusters are freed separately). */
  removeEntry(directory: FatNode, node: FatNode): number {
    const index = this.indexes.get(this.directoryKey(directory));
    if (index && node.slots.length > 0) index.remove(node.name, node.entry.name11, node.slots);
    for (const slot of node.slots) {
      const sector = Math.floor(slot / 512);
      if (this.read(sector, this.sector) < 0) return -EIO;
      this.sector[slot % 512] = DELETED;
      if (this.write(sector, this.sector) < 0) return -EIO;
    }
    // Detached: an open file's later size/time updates must not land in slots another name may reuse.
    node.slots = [];
    return 0;
  }

  /** Writes a node's short entry back (size, first cluster, attributes, times). */
  updateEntry(node: FatNode): number {
    if (node.isRoot || node.slots.length === 0) return 0;
    const bytes = new Uint8Array(ENTRY_SIZE);
    encodeShort(node.entry, bytes, 0);
    return this.writeEntry(node.slots[node.slots.length - 1]!, bytes);
  }

  /** Creates a subdirectory with "." and "..". */
  mkdir(parent: FatNode, name: string, time: number): FatNode | number {
    const cluster = this.fat.allocate();
    if (cluster === 0) return -ENOSPC;
    this.indexes.delete(cluster);
    const zero = this.zeroCluster(cluster);
    if (zero < 0) { this.fat.set(cluster, FREE); return zero; }
    const node = this.addEntry(parent, name, { attr: ATTR_DIRECTORY, firstCluster: cluster, size: 0, mtime: time, ctime: time, atime: time });
    if (typeof node === 'number') { this.fat.set(cluster, FREE); return node; }
    const dot = new Uint8Array(ENTRY_SIZE * 2);
    const base = { attr: ATTR_DIRECTORY, caseFlags: 0, size: 0, mtime: time, ctime: time, atime: time };
    encodeShort({ ...base, name11: padName('.'), firstCluster: cluster }, dot, 0);
    encodeShort({ ...base, name11: padName('..'), firstCluster: this.dotDotCluster(parent) }, dot, ENTRY_SIZE);
    const sector = this.clusterSector(cluster);
    if (this.read(sector, this.sector) < 0) return -EIO;
    this.sector.set(dot, 0);
    if (this.write(sector, this.sector) < 0) return -EIO;
    return node;
  }

  /** ".." of a child of `parent` holds the parent's cluster, 0 for the root (also on FAT32). */
  private dotDotCluster(parent: FatNode): number {
    return parent.isRoot ? 0 : parent.entry.firstCluster;
  }

  /** Points a moved directory's ".." at its new parent. */
  setParent(directory: FatNode, parent: FatNode): number {
    const chain = this.chainOf(directory);
    if (typeof chain === 'number') return chain;
    if (chain.length === 0) return -EUCLEAN;
    const sector = this.clusterSector(chain[0]!);
    if (this.read(sector, this.sector) < 0) return -EIO;
    const cluster = this.dotDotCluster(parent);
    this.sector[ENTRY_SIZE + 20] = cluster >>> 16; this.sector[ENTRY_SIZE + 21] = cluster >>> 24;
    this.sector[ENTRY_SIZE + 26] = cluster; this.sector[ENTRY_SIZE + 27] = cluster >>> 8;
    return this.write(sector, this.sector);
  }

  /** Whether a directory holds nothing but "." and "..". */
  isEmpty(directory: FatNode): boolean | number {
    const nodes = this.list(directory);
    if (typeof nodes === 'number') return nodes;
    return nodes.every((n) => n.name === '.' || n.name === '..');
  }

  /** Removes an empty subdirectory of `parent`: its entries, its index and its clusters. */
  rmdir(parent: FatNode, node: FatNode): number {
    const empty = this.isEmpty(node);
    if (typeof empty === 'number') return empty;
    if (!empty) return -ENOTEMPTY;
    const removed = this.removeEntry(parent, node);
    if (removed < 0) return removed;
    this.indexes.delete(this.directoryKey(node));
    this.freeData(node);
    return 0;
  }

  /* ------------------------------------------------------------ data */

  private zeroCluster(cluster: number): number {
    const zero = new Uint8Array(512);
    for (let i = 0; i < this.geometry.sectorsPerCluster; i++) if (this.write(this.clusterSector(cluster) + i, zero) < 0) return -EIO;
    return 0;
  }

  /** Appends `count` clusters to a node's chain (zeroed when `zero`); -ENOSPC leaves the chain as it was. */
  private extend(node: FatNode, count: number, zero: boolean): number {
    const chain = this.chainOf(node);
    if (typeof chain === 'number') return chain;
    if (this.fat.freeCount < count) return -ENOSPC;
    for (let i = 0; i < count; i++) {
      const cluster = this.fat.allocate();
      if (cluster === 0) return -ENOSPC;
      if (zero) { const z = this.zeroCluster(cluster); if (z < 0) return z; }
      if (chain.length === 0) {
        node.entry.firstCluster = cluster;
      } else {
        this.fat.set(chain[chain.length - 1]!, cluster);
      }
      chain.push(cluster);
    }
    return 0;
  }

  readData(node: FatNode, position: number, count: number): Uint8Array | number {
    const size = node.entry.size;
    if (position >= size || count <= 0) return new Uint8Array(0);
    const end = Math.min(size, position + count);
    const chain = this.chainOf(node);
    if (typeof chain === 'number') return chain;
    const clusterSize = this.geometry.clusterSize;
    if (chain.length * clusterSize < size) { this.log(`vfat: ${node.name}: size ${size} beyond its ${chain.length} clusters`); return -EUCLEAN; }
    const out = new Uint8Array(end - position);
    const buffer = new Uint8Array(512);
    for (let at = position; at < end;) {
      const cluster = chain[Math.floor(at / clusterSize)]!;
      const within = at % clusterSize;
      const sector = this.clusterSector(cluster) + Math.floor(within / 512);
      const from = within % 512;
      const take = Math.min(512 - from, end - at);
      if (take === 512) {
        if (this.read(sector, out.subarray(at - position, at - position + 512)) < 0) return -EIO;
      } else {
        if (this.read(sector, buffer) < 0) return -EIO;
        out.set(buffer.subarray(from, from + take), at - position);
      }
      at += take;
    }
    return out;
  }

  /** Writes data at `position`, growing the chain (the gap before it reads as zeros: FAT has no holes). */
  writeData(node: FatNode, position: number, data: Uint8Array): number {
    const end = position + data.length;
    if (end > FAT_MAX_FILE) return -EFBIG;
    const chain = this.chainOf(node);
    if (typeof chain === 'number') return chain;
    const clusterSize = this.geometry.clusterSize;
    const needed = Math.ceil(end / clusterSize) - chain.length;
    if (needed > 0) {
      const grown = this.extend(node, needed, false);
      if (grown < 0) return grown;
    }
    if (position > node.entry.size) {
      // FAT has no holes: the gap between the old end and the write reads as zeros, so it is written.
      const oldSize = node.entry.size;
      node.entry.size = position;
      const gap = this.writeData(node, oldSize, new Uint8Array(position - oldSize));
      if (gap < 0) { node.entry.size = oldSize; return gap; }
    }
    const buffer = new Uint8Array(512);
    for (let at = position; at < end;) {
      const cluster = chain[Math.floor(at / clusterSize)]!;
      const within = at % clusterSize;
      const sector = this.clusterSector(cluster) + Math.floor(within / 512);
      const from = within % 512;
      const take = Math.min(512 - from, end - at);
      if (take === 512) {
        if (this.write(sector, data.subarray(at - position, at - position + 512)) < 0) return -EIO;
      } else {
        if (this.read(sector, buffer) < 0) return -EIO;
        buffer.set(data.subarray(at - position, at - position + take), from);
        if (this.write(sector, buffer) < 0) return -EIO;
      }
      at += take;
    }
    if (end > node.entry.size) node.entry.size = end;
    return data.length;
  }

  /** Sets the size: frees clusters past the end, or grows with zeros. */
  truncate(node: FatNode, size: number): number {
    if (size > FAT_MAX_FILE) return -EFBIG;
    const chain = this.chainOf(node);
    if (typeof chain === 'number') return chain;
    if (size > node.entry.size) {
      const grown = this.writeData(node, size - 1, new Uint8Array(1));
      return grown < 0 ? grown : 0;
    }
    const keep = Math.ceil(size / this.geometry.clusterSize);
    if (keep < chain.length) {
      if (keep === 0) {
        this.fat.freeChain(chain[0]!);
        node.entry.firstCluster = 0;
      } else {
        this.fat.freeChain(chain[keep]!);
        this.fat.set(chain[keep - 1]!, this.fat.endOfChain);
      }
      chain.length = keep;
    }
    node.entry.size = size;
    return 0;
  }

  /** Frees a file's clusters (after its last name and user are gone). */
  freeData(node: FatNode): void {
    if (node.entry.firstCluster !== 0) this.fat.freeChain(node.entry.firstCluster);
    node.entry.firstCluster = 0;
    node.chain = [];
  }

  /* ------------------------------------------------------------ whole volume */

  /**
   * Writes the FAT's changed sectors to every copy, into the block cache (no flush): called after
   * each change, so the periodic write-back carries the FAT with the entries and data that use it
   * (Linux's FAT buffers are dirty buffers of the same cache). Held back until sync, a crash left
   * entries pointing at clusters still free on disk.
   */
  writeFat(): number {
    const g = this.geometry;
    for (const s of this.fat.takeDirtySectors()) {
      const bytes = this.fat.bytes.subarray(s * 512, s * 512 + 512);
      for (let copy = 0; copy < g.fatCount; copy++) if (this.write(g.firstFatSector + copy * g.sectorsPerFat + s, bytes) < 0) return -EIO;
    }
    return 0;
  }

  /** Writes the FAT's changed sectors to every copy and the FSInfo hints, then flushes the device. */
  sync(): number {
    const g = this.geometry;
    if (this.writeFat() < 0) return -EIO;
    if (g.type === 32 && g.fsInfoSector > 0) {
      const info = new Uint8Array(512);
      if (this.read(g.fsInfoSector, info) < 0) return -EIO;
      if (parseFsInfo(info)) {
        writeFsInfo(info, { freeCount: this.fat.freeCount, nextFree: this.fat.nextFree });
        if (this.write(g.fsInfoSector, info) < 0) return -EIO;
      }
    }
    return this.device.flush() < 0 ? -EIO : 0;
  }
}

/** "." and ".." as 11 padded bytes. */
function padName(name: string): Uint8Array {
  const bytes = new Uint8Array(11).fill(0x20);
  for (let i = 0; i < name.length; i++) bytes[i] = name.charCodeAt(i);
  return bytes;
}
