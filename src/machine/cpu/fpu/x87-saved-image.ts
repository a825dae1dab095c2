/**
 * The record behind X87's context save skip and lazy restore (x87.ts save/restore): a
 * 108-byte fnsave context buffer seen as 27 words, and the words the unit last wrote
 * into it (or found equal to its own image).
 */
import { SAVE_SIZE } from './x87-environment.js';

/** A context buffer's 27 words and the words the unit last wrote into it (or found equal to its image). */
export class SavedImage {
  private readonly written = new Int32Array(SAVE_SIZE / 4);
  /** Whether `written` holds an image of the unit's (record() ran). */
  private recorded = false;
  constructor(private readonly words: Int32Array) {}

  record(): void {
    this.written.set(this.words);
    this.recorded = true;
  }

  /** The buffer still holds what the unit recorded. */
  matches(): boolean {
    return this.holds(this);
  }

  /** Both records hold the same image. */
  sameRecord(other: SavedImage): boolean {
    if (!this.recorded || !other.recorded) return false;
    const mine = this.written, theirs = other.written;
    for (let index = 0; index < SAVE_SIZE / 4; index++) if (mine[index] !== theirs[index]) return false;
    return true;
  }

  /** The recorded image as bytes (valid when recorded). */
  recordBytes(): Uint8Array {
    return new Uint8Array(this.written.buffer, this.written.byteOffset, SAVE_SIZE);
  }

  /** The buffer holds exactly the image `other` recorded. */
  holds(other: SavedImage): boolean {
    if (!other.recorded) return false;
    const words = this.words, written = other.written;
    for (let index = 0; index < SAVE_SIZE / 4; index++) if (words[index] !== written[index]) return false;
    return true;
  }
}
