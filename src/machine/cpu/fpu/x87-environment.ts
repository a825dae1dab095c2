/**
 * The fnstenv/fldenv (28 bytes) and fnsave/frstor (108 bytes) images in the
 * 32-bit protected-mode layout (Intel SDM 1 §8.1.10, figures 8-9 and 8-10):
 * control, status and tag words each padded to 32 bits with ones as the
 * hardware writes them, FIP, FCS with FOP in bits 16-26, FDP, FDS, then
 * ST(0)..ST(7) as 10-byte registers. With a 16-bit operand size (0x66) the
 * layout is the 16-bit protected-mode one (figure 8-11): seven 16-bit words
 * (no FOP, pointer offsets truncated), 14 and 94 bytes (measured on the host).
 */
import type { X87Registers } from './x87-registers.js';

export const ENVIRONMENT_SIZE = 28;
export const SAVE_SIZE = 108;
export const ENVIRONMENT_SIZE_16 = 14;
export const SAVE_SIZE_16 = 94;

export function writeEnvironment16(registers: X87Registers, into: Uint8Array): void {
  const words = [
    registers.controlWord, registers.statusWord, registers.tagWord, registers.instructionPointer,
    registers.codeSelector, registers.dataPointer, registers.dataSelector,
  ];
  for (let index = 0; index < 7; index++) {
    into[index * 2] = words[index] & 0xff;
    into[index * 2 + 1] = (words[index] >>> 8) & 0xff;
  }
}

export function readEnvironment16(registers: X87Registers, from: Uint8Array): void {
  registers.controlWord = (readU16(from, 0) & 0x1f7f) | 0x0040;
  registers.statusWord = readU16(from, 2);
  registers.tagWord = readU16(from, 4);
  registers.instructionPointer = readU16(from, 6);
  registers.codeSelector = readU16(from, 8);
  registers.opcode = 0;
  registers.dataPointer = readU16(from, 10);
  registers.dataSelector = readU16(from, 12);
}

export function writeEnvironment(registers: X87Registers, into: Uint8Array): void {
  // Word by word without a temporary array: a context switch encodes this on every save.
  writeU32(into, 0, 0xffff0000 | registers.controlWord);
  writeU32(into, 4, 0xffff0000 | registers.statusWord);
  writeU32(into, 8, 0xffff0000 | registers.tagWord);
  writeU32(into, 12, registers.instructionPointer);
  writeU32(into, 16, (registers.codeSelector & 0xffff) | ((registers.opcode & 0x7ff) << 16));
  writeU32(into, 20, registers.dataPointer);
  writeU32(into, 24, 0xffff0000 | (registers.dataSelector & 0xffff));
}

export function readEnvironment(registers: X87Registers, from: Uint8Array): void {
  registers.controlWord = (readU16(from, 0) & 0x1f7f) | 0x0040;
  registers.statusWord = readU16(from, 4);
  registers.tagWord = readU16(from, 8);
  registers.instructionPointer = readU32(from, 12) | 0;
  registers.codeSelector = readU16(from, 16);
  registers.opcode = readU16(from, 18) & 0x7ff;
  registers.dataPointer = readU32(from, 20) | 0;
  registers.dataSelector = readU16(from, 24);
}

/** Writes the environment (32-bit layout, or 16-bit when `short`) then ST(0)..ST(7). */
export function writeSave(registers: X87Registers, into: Uint8Array, short = false): void {
  if (short) writeEnvironment16(registers, into); else writeEnvironment(registers, into);
  const start = short ? ENVIRONMENT_SIZE_16 : ENVIRONMENT_SIZE;
  for (let index = 0; index < 8; index++) {
    const physical = registers.physical(index);
    const offset = start + index * 10;
    writeU32(into, offset, registers.low[physical]);
    writeU32(into, offset + 4, registers.high[physical]);
    into[offset + 8] = registers.signExponent[physical] & 0xff;
    into[offset + 9] = registers.signExponent[physical] >>> 8;
  }
}

export function readSave(registers: X87Registers, from: Uint8Array, short = false): void {
  if (short) readEnvironment16(registers, from); else readEnvironment(registers, from);
  const start = short ? ENVIRONMENT_SIZE_16 : ENVIRONMENT_SIZE;
  for (let index = 0; index < 8; index++) {
    const physical = registers.physical(index);
    const offset = start + index * 10;
    registers.low[physical] = readU32(from, offset);
    registers.high[physical] = readU32(from, offset + 4);
    registers.signExponent[physical] = from[offset + 8] | (from[offset + 9] << 8);
  }
}

function writeU32(into: Uint8Array, offset: number, value: number): void {
  into[offset] = value & 0xff;
  into[offset + 1] = (value >>> 8) & 0xff;
  into[offset + 2] = (value >>> 16) & 0xff;
  into[offset + 3] = value >>> 24;
}

function readU32(from: Uint8Array, offset: number): number {
  return (from[offset] | (from[offset + 1] << 8) | (from[offset + 2] << 16) | (from[offset + 3] << 24)) >>> 0;
}

function readU16(from: Uint8Array, offset: number): number {
  return from[offset] | (from[offset + 1] << 8);
}
