/**
 * A console backend in memory, for runs whose output a test or tool reads back: not a
 * terminal, 24x80, every byte written appended to `sink` (dropped when it is null), no input.
 */
import type { ConsoleBackend } from '../kernel/index.js';

export function memoryConsole(sink: number[] | null): ConsoleBackend {
  return {
    isTerminal: false,
    windowSize: () => ({ rows: 24, columns: 80 }),
    write: (data) => { if (sink !== null) for (const byte of data) sink.push(byte); },
    read: () => new Uint8Array(0),
  };
}
