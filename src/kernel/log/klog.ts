/**
 * The kernel log: a ring buffer of leveled records (the IR0 guide's LOG_INFO /
 * LOG_OK / LOG_WARN / LOG_ERR), timestamped by the machine clock and echoed to
 * the console when the level is at or above `loglevel=`. Readers (syslog(2),
 * /dev/kmsg, tests) call `records()` or `text()`.
 */

export const LogLevel = { LOG_ERR: 3, LOG_WARN: 4, LOG_OK: 5, LOG_INFO: 6, LOG_DEBUG: 7 } as const;
export type LogLevel = (typeof LogLevel)[keyof typeof LogLevel];

const levelNames: Record<number, string> = { 3: 'ERR', 4: 'WARN', 5: 'OK', 6: 'INFO', 7: 'DEBUG' };

export interface LogRecord {
  readonly level: LogLevel;
  /** Nanoseconds since boot, from the machine clock. */
  readonly time: number;
  readonly message: string;
}

export interface KlogOptions {
  /** Records kept before the oldest is overwritten. */
  capacity?: number;
  /** Echo records with level <= this to the console (Linux's console_loglevel; lower = more severe). */
  consoleLevel?: number;
  now?: () => number;
  echo?: (line: string) => void;
}

export class Klog {
  private readonly ring: (LogRecord | undefined)[];
  private next = 0;
  private count = 0;
  consoleLevel: number;
  now: () => number;
  echo: (line: string) => void;

  constructor(options: KlogOptions = {}) {
    this.ring = new Array<LogRecord | undefined>(options.capacity ?? 1024);
    this.consoleLevel = options.consoleLevel ?? LogLevel.LOG_WARN;
    this.now = options.now ?? (() => 0);
    this.echo = options.echo ?? (() => undefined);
  }

  log(level: LogLevel, message: string): void {
    const record = { level, time: this.now(), message };
    this.ring[this.next] = record;
    this.next = (this.next + 1) % this.ring.length;
    if (this.count < this.ring.length) this.count++;
    if (level <= this.consoleLevel) this.echo(formatRecord(record) + '\n');
  }

  info(message: string): void { this.log(LogLevel.LOG_INFO, message); }
  ok(message: string): void { this.log(LogLevel.LOG_OK, message); }
  warn(message: string): void { this.log(LogLevel.LOG_WARN, message); }
  error(message: string): void { this.log(LogLevel.LOG_ERR, message); }
  debug(message: string): void { this.log(LogLevel.LOG_DEBUG, message); }

  /** Oldest first. */
  records(): LogRecord[] {
    const out: LogRecord[] = [];
    const start = (this.next - this.count + this.ring.length) % this.ring.length;
    for (let i = 0; i < this.count; i++) {
      const record = this.ring[(start + i) % this.ring.length];
      if (record) out.push(record);
    }
    return out;
  }

  text(): string {
    return this.records().map((r) => formatRecord(r) + '\n').join('');
  }
}

/** "[    0.001234] OK: message", as dmesg prints it plus the IR0 level tag. */
export function formatRecord(record: LogRecord): string {
  const micros = Math.floor(record.time / 1000);
  const seconds = Math.floor(micros / 1e6);
  const fraction = String(micros % 1e6).padStart(6, '0');
  return `[${String(seconds).padStart(5)}.${fraction}] ${levelNames[record.level] ?? '?'}: ${record.message}`;
}
