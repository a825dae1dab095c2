/**
 * How `bench` prints: an aligned table for people (rows as they finish, then the
 * summary), or with --json one JSON object per row and a final summary object.
 */
import type { BenchColumn, BenchRow, BenchSummary, BenchValue } from './suite.js';

export interface BenchReporter {
  begin(suiteName: string, columns: readonly BenchColumn[]): void;
  row(row: BenchRow): void;
  end(summary: BenchSummary): void;
}

function formatValue(value: BenchValue | undefined, column: BenchColumn): string {
  if (value === null || value === undefined) return '-';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return '-';
    return column.digits === undefined ? String(value) : value.toFixed(column.digits);
  }
  return String(value);
}

export class TableReporter implements BenchReporter {
  private columns: readonly BenchColumn[] = [];
  constructor(private readonly write: (text: string) => void) {}

  private line(cells: string[]): void {
    // The first column (the name) is left-aligned, numbers are right-aligned.
    const text = cells.map((cell, i) => (i === 0 ? cell.padEnd(this.columns[i].width) : cell.padStart(this.columns[i].width)));
    this.write(text.join('  ').trimEnd() + '\n');
  }

  begin(suiteName: string, columns: readonly BenchColumn[]): void {
    this.columns = columns;
    this.write(`bench ${suiteName}\n`);
    this.line(columns.map((c) => c.heading));
  }

  row(row: BenchRow): void {
    this.line(this.columns.map((c) => formatValue(row[c.key], c)));
    if (row.error !== undefined) this.write(`  FAILED ${row.name}: ${row.error}\n`);
  }

  end(summary: BenchSummary): void {
    this.write(`${summary.text}\n`);
  }
}

export class JsonReporter implements BenchReporter {
  private suiteName = '';
  constructor(private readonly write: (text: string) => void) {}

  begin(suiteName: string): void {
    this.suiteName = suiteName;
  }

  row(row: BenchRow): void {
    this.write(JSON.stringify({ suite: this.suiteName, ...row }) + '\n');
  }

  end(summary: BenchSummary): void {
    this.write(JSON.stringify({ suite: this.suiteName, summary: true, ok: summary.ok, ...summary.values }) + '\n');
  }
}
