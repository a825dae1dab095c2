/**
 * FAT directory entries (32 bytes each): the 8.3 short entry and the VFAT
 * long-name entries that precede it (UCS-2, 13 characters each, last one
 * first, tied to the short name by a checksum). Also the DOS date/time
 * encoding and Linux's rules for making a short alias of a long name
 * (fs/fat/namei_vfat.c: mixed case or non-8.3 names get an LFN and a
 * "BASE~N.EXT" alias; all-lower or all-upper 8.3 names are stored short,
 * lower case remembered in the NT reserved byte).
 */
import { get16, get32, put16, put32 } from './boot-sector.js';
import { civilFromDays, daysFromCivil } from '../../../base/civil-time.js';

export const ENTRY_SIZE = 32;
export const ATTR_READ_ONLY = 0x01;
export const ATTR_HIDDEN = 0x02;
export const ATTR_SYSTEM = 0x04;
export const ATTR_VOLUME_ID = 0x08;
export const ATTR_DIRECTORY = 0x10;
export const ATTR_ARCHIVE = 0x20;
export const ATTR_LONG_NAME = 0x0f;
export const DELETED = 0xe5;
/** NT reserved byte: base / extension stored in lower case. */
const CASE_LOWER_BASE = 0x08;
const CASE_LOWER_EXT = 0x10;

export interface ShortEntry {
  /** The 11 name bytes as stored ("FOO     TXT"). */
  readonly name11: Uint8Array;
  attr: number;
  caseFlags: number;
  firstCluster: number;
  size: number;
  /** Modification / creation / access times, ns since the epoch (UTC: ir0's FAT clock is UTC, Linux's default with tz unset). */
  mtime: number;
  ctime: number;
  atime: number;
}

/** 1980-01-01 and 2107-12-31 23:59:58, the DOS range, in ms since the epoch. */
const DOS_FIRST_MS = 315532800000;
const DOS_LAST_MS = 4354819198000;

/** DOS date and time (2-second resolution) of a time in ns since the epoch; clamped to 1980..2107. */
export function toDos(ns: number): { date: number; time: number; tenths: number } {
  const ms = Math.floor(Math.min(Math.max(ns / 1e6, DOS_FIRST_MS), DOS_LAST_MS));
  const days = Math.floor(ms / 86400000);
  const { year, month, day } = civilFromDays(days);
  const msOfDay = ms - days * 86400000;
  const seconds = Math.floor(msOfDay / 1000);
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  const second = seconds % 60;
  const date = ((year - 1980) << 9) | (month << 5) | day;
  const time = (hours << 11) | (minutes << 5) | (second >> 1);
  const tenths = (second & 1) * 100 + Math.floor((msOfDay % 1000) / 10);
  return { date, time, tenths };
}

export function fromDos(date: number, time: number, tenths = 0): number {
  const year = 1980 + (date >> 9);
  const month = Math.min(12, Math.max(1, (date >> 5) & 15));
  const day = Math.max(1, date & 31);
  const seconds = daysFromCivil(year, month, day) * 86400 + (time >> 11) * 3600 + ((time >> 5) & 63) * 60 + (time & 31) * 2;
  return (seconds * 1000 + tenths * 10) * 1e6;
}

export function decodeShort(bytes: Uint8Array, offset: number): ShortEntry {
  const e = bytes.subarray(offset, offset + ENTRY_SIZE);
  return {
    name11: e.slice(0, 11), attr: e[11]!, caseFlags: e[12]!,
    firstCluster: (get16(e, 20) << 16 | get16(e, 26)) >>> 0, size: get32(e, 28),
    ctime: fromDos(get16(e, 16), get16(e, 14), e[13]!), atime: fromDos(get16(e, 18), 0), mtime: fromDos(get16(e, 24), get16(e, 22)),
  };
}

export function encodeShort(entry: ShortEntry, into: Uint8Array, offset: number): void {
  const e = into.subarray(offset, offset + ENTRY_SIZE);
  e.fill(0);
  e.set(entry.name11, 0);
  e[11] = entry.attr;
  e[12] = entry.caseFlags;
  const c = toDos(entry.ctime);
  e[13] = c.tenths;
  put16(e, 14, c.time);
  put16(e, 16, c.date);
  put16(e, 18, toDos(entry.atime).date);
  put16(e, 20, entry.firstCluster >>> 16);
  const m = toDos(entry.mtime);
  put16(e, 22, m.time);
  put16(e, 24, m.date);
  put16(e, 26, entry.firstCluster & 0xffff);
  put32(e, 28, entry.size);
}

/** The short name as Linux shows it without an LFN: "FOO.TXT", lower-cased per the NT flags. */
export function shortDisplayName(name11: Uint8Array, caseFlags: number): string {
  let base = String.fromCharCode(...name11.subarray(0, 8)).trimEnd();
  let ext = String.fromCharCode(...name11.subarray(8, 11)).trimEnd();
  if (base.charCodeAt(0) === 0x05) base = '\u00e5' + base.slice(1);
  if (caseFlags & CASE_LOWER_BASE) base = base.toLowerCase();
  if (caseFlags & CASE_LOWER_EXT) ext = ext.toLowerCase();
  return ext ? `${base}.${ext}` : base;
}

/** The LFN checksum of an 11-byte short name. */
export function shortNameChecksum(name11: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i < 11; i++) sum = (((sum & 1) << 7) + (sum >> 1) + name11[i]!) & 0xff;
  return sum;
}

/** Characters a short name may hold besides A-Z 0-9 (Microsoft's list). */
const SHORT_SPECIAL = "$%'-_@~`!(){}^#&";
const isShortChar = (c: string): boolean => /[A-Z0-9]/.test(c) || SHORT_SPECIAL.includes(c) || c.charCodeAt(0) > 127;
/** Characters no FAT name may hold. */
export const invalidLongName = (name: string): boolean => /[\x00-\x1f"*/:<>?\\|]/.test(name);

/**
 * If `name` can be stored as a short entry alone, its 11 bytes and case flags
 * (Linux vfat's default shortname=mixed: all-lower or all-upper base and extension).
 */
export function exactShortName(name: string): { name11: Uint8Array; caseFlags: number } | null {
  if (name === '.' || name === '..') return null;
  const dot = name.lastIndexOf('.');
  const base = dot < 0 ? name : name.slice(0, dot);
  const ext = dot < 0 ? '' : name.slice(dot + 1);
  if (base.length === 0 || base.length > 8 || ext.length > 3 || (dot >= 0 && ext.length === 0)) return null;
  if (base.includes('.')) return null;
  let caseFlags = 0;
  for (const [part, flag] of [[base, CASE_LOWER_BASE], [ext, CASE_LOWER_EXT]] as const) {
    const upper = part.toUpperCase();
    if ([...upper].some((c) => !isShortChar(c)) || [...part].some((c) => c.charCodeAt(0) > 127)) return null;
    if (part === upper) continue;
    if (part === part.toLowerCase()) caseFlags |= flag;
    else return null;
  }
  const name11 = new Uint8Array(11).fill(0x20);
  for (let i = 0; i < base.length; i++) name11[i] = base.toUpperCase().charCodeAt(i);
  for (let i = 0; i < ext.length; i++) name11[8 + i] = ext.toUpperCase().charCodeAt(i);
  if (name11[0] === DELETED) name11[0] = 0x05;
  return { name11, caseFlags };
}

/** The "BASE~N.EXT" alias of a long name (fs/fat/namei_vfat.c vfat_create_shortname, reduced). */
export function shortAlias(name: string, n: number): Uint8Array {
  const stripped = name.replace(/^[. ]+/, '');
  const dot = stripped.lastIndexOf('.');
  const clean = (s: string): string => [...s.toUpperCase()].filter((c) => c !== ' ' && c !== '.').map((c) => (isShortChar(c) && c.charCodeAt(0) < 128 ? c : '_')).join('');
  const base = clean(dot <= 0 ? stripped : stripped.slice(0, dot)) || '_';
  const ext = clean(dot <= 0 ? '' : stripped.slice(dot + 1)).slice(0, 3);
  const tail = `~${n}`;
  const head = base.slice(0, 8 - tail.length);
  const name11 = new Uint8Array(11).fill(0x20);
  const full = head + tail;
  for (let i = 0; i < full.length; i++) name11[i] = full.charCodeAt(i);
  for (let i = 0; i < ext.length; i++) name11[8 + i] = ext.charCodeAt(i);
  return name11;
}

/** The LFN entries for `name` (UCS-2), in on-disk order (highest ordinal first). */
export function encodeLongName(name: string, checksum: number): Uint8Array[] {
  const units: number[] = [];
  for (let i = 0; i < name.length; i++) units.push(name.charCodeAt(i));
  const count = Math.ceil(units.length / 13);
  if (units.length % 13 !== 0) units.push(0);
  while (units.length < count * 13) units.push(0xffff);
  const entries: Uint8Array[] = [];
  for (let ordinal = count; ordinal >= 1; ordinal--) {
    const e = new Uint8Array(ENTRY_SIZE);
    e[0] = ordinal | (ordinal === count ? 0x40 : 0);
    e[11] = ATTR_LONG_NAME;
    e[13] = checksum;
    const part = units.slice((ordinal - 1) * 13, ordinal * 13);
    const slots = [1, 3, 5, 7, 9, 14, 16, 18, 20, 22, 24, 28, 30];
    slots.forEach((slot, i) => put16(e, slot, part[i]!));
    entries.push(e);
  }
  return entries;
}

/** The 13 UCS-2 units of one LFN entry. */
export function longNamePart(bytes: Uint8Array, offset: number): number[] {
  const slots = [1, 3, 5, 7, 9, 14, 16, 18, 20, 22, 24, 28, 30];
  return slots.map((slot) => get16(bytes, offset + slot));
}

/** Longest name VFAT stores (255 UCS-2 units). */
export const MAX_LONG_NAME = 255;
