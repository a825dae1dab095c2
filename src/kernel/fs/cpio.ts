/**
 * The cpio "newc" format (Linux's initramfs, Documentation/driver-api/
 * early-userspace/buffer-format.rst): 110-byte ASCII headers of 13 8-digit hex
 * fields, the name, the data, each padded to 4 bytes, ended by "TRAILER!!!".
 * Interface: parseCpio(bytes) → entries or an error string; writeCpio(entries) → bytes.
 */

export interface CpioEntry {
  readonly name: string;
  readonly mode: number;
  readonly uid: number;
  readonly gid: number;
  readonly mtime: number;
  readonly data: Uint8Array;
  readonly rdevMajor: number;
  readonly rdevMinor: number;
  readonly ino: number;
  readonly nlink: number;
}

const MAGIC = '070701';
const HEADER = 110;
const TRAILER = 'TRAILER!!!';
const align4 = (x: number): number => (x + 3) & ~3;

export function parseCpio(bytes: Uint8Array): CpioEntry[] | string {
  const decoder = new TextDecoder();
  const entries: CpioEntry[] = [];
  let at = 0;
  while (at + HEADER <= bytes.length) {
    // Linux skips zero padding between concatenated archives.
    if (bytes[at] === 0) { at += 4; continue; }
    const header = decoder.decode(bytes.subarray(at, at + HEADER));
    if (!header.startsWith(MAGIC) && !header.startsWith('070702')) return `bad cpio magic at offset ${at}`;
    const field = (i: number): number => parseInt(header.slice(6 + i * 8, 14 + i * 8), 16);
    const nameSize = field(11);
    const fileSize = field(6);
    if (!Number.isFinite(nameSize) || !Number.isFinite(fileSize)) return `bad cpio header at offset ${at}`;
    const nameStart = at + HEADER;
    const dataStart = align4(nameStart + nameSize);
    if (dataStart + fileSize > bytes.length) return `truncated cpio entry at offset ${at}`;
    const name = decoder.decode(bytes.subarray(nameStart, nameStart + Math.max(0, nameSize - 1)));
    if (name === TRAILER) return entries;
    entries.push({
      name, ino: field(0), mode: field(1), uid: field(2), gid: field(3), nlink: field(4), mtime: field(5),
      rdevMajor: field(9), rdevMinor: field(10), data: bytes.subarray(dataStart, dataStart + fileSize),
    });
    at = align4(dataStart + fileSize);
  }
  return entries.length > 0 ? entries : 'empty or truncated cpio archive';
}

export function writeCpio(entries: readonly CpioEntry[]): Uint8Array {
  const encoder = new TextEncoder();
  const chunks: Uint8Array[] = [];
  let size = 0;
  const push = (chunk: Uint8Array): void => {
    chunks.push(chunk);
    size += chunk.length;
    const pad = align4(size) - size;
    if (pad) { chunks.push(new Uint8Array(pad)); size += pad; }
  };
  const all = [...entries, { name: TRAILER, mode: 0, uid: 0, gid: 0, mtime: 0, data: new Uint8Array(0), rdevMajor: 0, rdevMinor: 0, ino: 0, nlink: 1 }];
  all.forEach((entry, index) => {
    const name = encoder.encode(entry.name + '\0');
    const fields = [entry.ino || index + 1, entry.mode, entry.uid, entry.gid, entry.nlink, entry.mtime, entry.data.length, 0, 0,
      entry.rdevMajor, entry.rdevMinor, name.length, 0];
    const header = MAGIC + fields.map((f) => (f >>> 0).toString(16).padStart(8, '0')).join('');
    const headerAndName = new Uint8Array(HEADER + name.length);
    headerAndName.set(encoder.encode(header));
    headerAndName.set(name, HEADER);
    push(headerAndName);
    if (entry.data.length) push(entry.data);
  });
  const out = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) { out.set(chunk, offset); offset += chunk.length; }
  return out;
}
