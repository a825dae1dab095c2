/**
 * ext2 directories: blocks of variable-length entries {inode u32, rec_len u16,
 * name_len u8, file_type u8, name} padded to 4 bytes, whose rec_lens cover each
 * block exactly (fs/ext2/dir.c). Insertion splits an entry with slack or reuses
 * an empty one; deletion merges the entry into the previous one in its block
 * (or clears the inode of a block's first entry). Without the filetype feature
 * name_len is 16 bits. Every block is checked as it is read (ext2_check_page).
 */
import { ENOENT, ENOSPC } from '../../lib/index.js';
import { mapBlock } from './block-map.js';
import { INCOMPAT_FILETYPE } from './constants.js';
import type { DiskInode } from './disk-inode.js';
import type { Ext2Filesystem } from './filesystem.js';

export interface DirectoryEntry {
  name: Uint8Array;
  ino: number;
  fileType: number;
}

interface Slot {
  block: number;
  data: Uint8Array;
  offset: number;
  recordLength: number;
  ino: number;
  nameLength: number;
  /** Offset of the previous entry in the same block, or -1. */
  previous: number;
}

/** Bytes an entry with a name of `nameLength` needs: 8 + name, rounded to 4 (EXT2_DIR_REC_LEN). */
export const recordLength = (nameLength: number): number => (8 + nameLength + 3) & ~3;

const hasFileType = (fs: Ext2Filesystem): boolean => (fs.superblock.featureIncompat & INCOMPAT_FILETYPE) !== 0;

/**
 * Calls `visit` for every entry (empty ones too) until it returns true.
 * Returns 1 when stopped, 0 at the end, or a negative errno.
 */
function walk(fs: Ext2Filesystem, dir: DiskInode, visit: (slot: Slot) => boolean): number {
  const blockCount = Math.ceil(dir.size / fs.blockSize);
  for (let logical = 0; logical < blockCount; logical++) {
    const block = mapBlock(fs, dir, logical, false, true);
    if (block < 0) return block;
    if (block === 0) return fs.corrupt(`directory #${dir.ino} contains a hole at offset ${logical * fs.blockSize}`);
    const data = fs.cache.get(block);
    if (typeof data === 'number') return data;
    const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
    let offset = 0;
    let previous = -1;
    while (offset < fs.blockSize) {
      const ino = view.getUint32(offset, true);
      const length = view.getUint16(offset + 4, true);
      const nameLength = hasFileType(fs) ? data[offset + 6]! : view.getUint16(offset + 6, true);
      if (length < 12 || length % 4 !== 0 || offset + length > fs.blockSize || length < recordLength(nameLength) || ino > fs.superblock.inodesCount) {
        return fs.corrupt(`ext2_check_page: bad entry in directory #${dir.ino}: offset=${logical * fs.blockSize + offset}, inode=${ino}, rec_len=${length}, name_len=${nameLength}`);
      }
      if (visit({ block, data, offset, recordLength: length, ino, nameLength, previous })) return 1;
      previous = offset;
      offset += length;
    }
  }
  return 0;
}

const nameAt = (slot: Slot): Uint8Array => slot.data.subarray(slot.offset + 8, slot.offset + 8 + slot.nameLength);

function sameName(slot: Slot, name: Uint8Array): boolean {
  if (slot.ino === 0 || slot.nameLength !== name.length) return false;
  for (let i = 0; i < name.length; i++) if (slot.data[slot.offset + 8 + i] !== name[i]) return false;
  return true;
}

/** The inode number for `name` in `dir`, 0 when absent, or a negative errno. */
export function lookupEntry(fs: Ext2Filesystem, dir: DiskInode, name: Uint8Array): number {
  let found = 0;
  const status = walk(fs, dir, (slot) => {
    if (!sameName(slot, name)) return false;
    found = slot.ino;
    return true;
  });
  return status < 0 ? status : found;
}

/** Every live entry, "." and ".." included. */
export function listEntries(fs: Ext2Filesystem, dir: DiskInode): DirectoryEntry[] | number {
  const entries: DirectoryEntry[] = [];
  const typed = hasFileType(fs);
  const status = walk(fs, dir, (slot) => {
    if (slot.ino !== 0) entries.push({ name: nameAt(slot).slice(), ino: slot.ino, fileType: typed ? slot.data[slot.offset + 7]! : 0 });
    return false;
  });
  return status < 0 ? status : entries;
}

/** True when the directory holds nothing but "." and ".." (ext2_empty_dir); or a negative errno. */
export function isEmptyDirectory(fs: Ext2Filesystem, dir: DiskInode): boolean | number {
  let empty = true;
  const status = walk(fs, dir, (slot) => {
    if (slot.ino === 0) return false;
    const name = nameAt(slot);
    const dots = (name.length === 1 && name[0] === 0x2e) || (name.length === 2 && name[0] === 0x2e && name[1] === 0x2e);
    if (!dots) empty = false;
    return !empty;
  });
  return status < 0 ? status : empty;
}

function writeEntry(fs: Ext2Filesystem, data: Uint8Array, offset: number, length: number, ino: number, name: Uint8Array, fileType: number): void {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  view.setUint32(offset, ino, true);
  view.setUint16(offset + 4, length, true);
  if (hasFileType(fs)) {
    data[offset + 6] = name.length;
    data[offset + 7] = fileType;
  } else view.setUint16(offset + 6, name.length, true);
  data.set(name, offset + 8);
  data.fill(0, offset + 8 + name.length, offset + recordLength(name.length));
}

/** Adds `name` -> `ino`; the caller checked that the name is absent. Grows the directory by a block if needed. */
export function addEntry(fs: Ext2Filesystem, dir: DiskInode, name: Uint8Array, ino: number, fileType: number): number {
  const needed = recordLength(name.length);
  let placed = false;
  const status = walk(fs, dir, (slot) => {
    const used = slot.ino === 0 ? 0 : recordLength(slot.nameLength);
    if (slot.recordLength - used < needed) return false;
    if (slot.ino === 0) writeEntry(fs, slot.data, slot.offset, slot.recordLength, ino, name, fileType);
    else {
      new DataView(slot.data.buffer, slot.data.byteOffset).setUint16(slot.offset + 4, used, true);
      writeEntry(fs, slot.data, slot.offset + used, slot.recordLength - used, ino, name, fileType);
    }
    fs.cache.markDirty(slot.block);
    placed = true;
    return true;
  });
  if (status < 0) return status;
  if (!placed) {
    const logical = Math.ceil(dir.size / fs.blockSize);
    const block = mapBlock(fs, dir, logical, true, true);
    if (block < 0) return block;
    if (block === 0) return -ENOSPC;
    const data = fs.cache.getZeroed(block);
    writeEntry(fs, data, 0, fs.blockSize, ino, name, fileType);
    dir.size = (logical + 1) * fs.blockSize;
  }
  return 0;
}

/** Removes `name`; returns the inode it named or a negative errno (-ENOENT). */
export function removeEntry(fs: Ext2Filesystem, dir: DiskInode, name: Uint8Array): number {
  let removed = 0;
  const status = walk(fs, dir, (slot) => {
    if (!sameName(slot, name)) return false;
    removed = slot.ino;
    const view = new DataView(slot.data.buffer, slot.data.byteOffset);
    if (slot.previous >= 0) {
      const previousLength = view.getUint16(slot.previous + 4, true);
      view.setUint16(slot.previous + 4, previousLength + slot.recordLength, true);
    } else view.setUint32(slot.offset, 0, true);
    fs.cache.markDirty(slot.block);
    return true;
  });
  if (status < 0) return status;
  return removed === 0 ? -ENOENT : removed;
}

/** Points an existing entry at another inode (rename over a name, ".." of a moved directory). */
export function retargetEntry(fs: Ext2Filesystem, dir: DiskInode, name: Uint8Array, ino: number, fileType: number): number {
  let found = false;
  const status = walk(fs, dir, (slot) => {
    if (!sameName(slot, name)) return false;
    new DataView(slot.data.buffer, slot.data.byteOffset).setUint32(slot.offset, ino, true);
    if (hasFileType(fs)) slot.data[slot.offset + 7] = fileType;
    fs.cache.markDirty(slot.block);
    found = true;
    return true;
  });
  if (status < 0) return status;
  return found ? 0 : -ENOENT;
}

/** Writes the first block of a new directory: "." and "..". */
export function initializeDirectory(fs: Ext2Filesystem, dir: DiskInode, parentIno: number, directoryType: number): number {
  const block = mapBlock(fs, dir, 0, true, true);
  if (block < 0) return block;
  const data = fs.cache.getZeroed(block);
  writeEntry(fs, data, 0, 12, dir.ino, new Uint8Array([0x2e]), directoryType);
  writeEntry(fs, data, 12, fs.blockSize - 12, parentIno, new Uint8Array([0x2e, 0x2e]), directoryType);
  dir.size = fs.blockSize;
  return 0;
}
