/**
 * The fnstenv/fldenv (28 bytes) and fnsave/frstor (108 bytes) images in the
 * 32-bit protected-mode layout (Intel SDM 1 §8.1.10, figures 8-9 and 8-10):
 * control, status and tag words each padded to 32 bits with ones as the
 * hardware writes them, FIP, FCS with FOP in bits 16-26, FDP, FDS, then
 * ST(0)..ST(7) as 10-byte registers.
 */
import type { X87Registers } from './x87-registers.js';

export const ENVIRONMENT_SIZE = 28;
export const SAVE_SIZE = 108;

export function writeEnvironment(registers: X87Registers, into: Uint8Array): void {
  const words = [
    0xffff0000 | registers.controlWord,
    0xffff0000 | registers.statusWord,
    0xffff0000 | registers.tagWord,
    registers.instructionPointer,
    (registers.codeSelector & 0xffff) | ((registers.opcode & 0x7ff) << 16),
    registers.dataPointer,
    0xffff0000 | (registers.dataSelector & 0xffff),
  ];
  for (let index = 0; index < 7; index++) writeU32(into, index * 4, words[index]);
}

export function readEnvironment(registers: X87Registers, from: Uint8Array): void {
  registers.controlWord = (readU16(from, 0) & 0x1f7f) | 0x0040;
  registers.statusWord = readU16(from, 4);
  registers.tagWord = readU16(from, 8);
  registers.instructionPointer = readU32(from, 12);
  registers.codeSelector = readU16(from, 16);
  registers.opcode = readU16(from, 18) & 0x7ff;
  registers.dataPointer = readU32(from, 20);
  registers.dataSelector = readU16(from, 24);
}

/** Writes the environment then ST(0)..ST(7). */
export function writeSave(registers: X87Registers, into: Uint8Array): void {
  writeEnvironment(registers, into);
  for (let index = 0; index < 8; index++) {
    const physical = registers.physical(index);
    const offset = ENVIRONMENT_SIZE + index * 10;
    writeU32(into, offset, registers.low[physical]);
    writeU32(into, offset + 4, registers.high[physical]);
    into[offset + 8] = registers.signExponent[physical] & 0xff;
    into[offset + 9] = registers.signExponent[physical] >>> 8;
  }
}

export function readSave(registers: X87Registers, from: Uint8Array): void {
  readEnvironment(registers, from);
  for (let index = 0; index < 8; index++) {
    const physical = registers.physical(index);
    const offset = ENVIRONMENT_SIZE + index * 10;
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
