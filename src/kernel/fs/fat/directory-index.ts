/**
 * An in-memory index of one FAT directory's names, built from one scan and kept up to
 * date by the volume's addEntry/removeEntry (the only ways a name appears or goes):
 * name → entry slots, the short names in use, where free slots may start, and the
 * next "~N" alias to try per alias stem. It holds no entry contents (sizes, clusters
 * and times are read from the disk at lookup), so it cannot go stale when a file
 * changes. Without it a directory of n names costs O(n) sector reads per lookup and
 * create (Linux's vfat scans linearly too, but the 10,000-file workload made that O(n²)
 * in seconds per file here).
 */

/** A live name of the directory: its display name and its entry slots (LFN entries first, short entry last). */
export interface IndexedName {
  readonly name: string;
  readonly slots: readonly number[];
}

export class DirectoryIndex {
  /** Upper-cased name → the name (vfat lookups are case-insensitive); "." and ".." are left out. */
  private readonly names = new Map<string, IndexedName>();
  /** The 11-byte short names in use, as strings. */
  private readonly shortNames = new Set<string>();
  /** Per alias stem (the "~1" alias), the next N to try. */
  private readonly aliasHints = new Map<string, number>();
  /** Slot ordinal (32-byte entries from the directory's start) before which no slot is free. */
  scanFrom = 0;

  get(name: string): IndexedName | undefined {
    return this.names.get(name.toUpperCase());
  }

  hasShortName(name11: Uint8Array): boolean {
    return this.shortNames.has(shortKey(name11));
  }

  /** Records a live entry; the first of two equal names wins, as in a linear scan. */
  add(name: string, name11: Uint8Array, slots: readonly number[]): void {
    this.shortNames.add(shortKey(name11));
    if (name === '.' || name === '..') return;
    const key = name.toUpperCase();
    if (!this.names.has(key)) this.names.set(key, { name, slots });
  }

  /** Forgets a removed entry (only if `slots` are the ones indexed under its name). */
  remove(name: string, name11: Uint8Array, slots: readonly number[]): void {
    const key = name.toUpperCase();
    const indexed = this.names.get(key);
    if (indexed && indexed.slots[indexed.slots.length - 1] === slots[slots.length - 1]) this.names.delete(key);
    this.shortNames.delete(shortKey(name11));
    this.scanFrom = 0;
  }

  aliasStart(stem: Uint8Array): number {
    return this.aliasHints.get(shortKey(stem)) ?? 1;
  }

  aliasUsed(stem: Uint8Array, n: number): void {
    this.aliasHints.set(shortKey(stem), n + 1);
  }
}

function shortKey(name11: Uint8Array): string {
  return String.fromCharCode(...name11);
}
