import { excerpt } from './errors';
import type { PhysicalLine } from './lines';
import { required } from '@nexus/schema';

export const DELIMITERS = [',', ';', '\t', '|'] as const;
export type Delimiter = (typeof DELIMITERS)[number];

/** One CSV record (its fields; blanks outside quotes trimmed) or why one could not be read. */
export type CsvRow =
  { line: number; fields: string[]; text: string } | { line: number; error: string; text: string };

/** The delimiter used most often outside quotes in the header record (a comma when none is). */
export function detectDelimiter(headerLine: string): Delimiter {
  const counts = new Map<string, number>();
  let quoted = false;
  for (const ch of headerLine) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  }
  let best: Delimiter = ',';
  for (const d of DELIMITERS) if ((counts.get(d) ?? 0) > (counts.get(best) ?? 0)) best = d;
  return best;
}

export const describeDelimiter = (d: string) => (d === '\t' ? 'tab' : `"${d}"`);
const size = (n: number) => n.toLocaleString('en');
/** How far the first record is looked at for its delimiter while a quote in it is open. */
const HEADER_CHARS = 1 << 16;

/**
 * Assembles physical lines into CSV records. Quoted fields may hold delimiters, doubled quotes and
 * line breaks; blanks around fields and around quotes are trimmed (FEBRL writes ", "). A record that
 * cannot be read is reported at its first line and reading starts again on the line after that
 * one, so a stray quote costs one row, not the rest of the file.
 */
export class CsvAssembler {
  private lines: PhysicalLine[] = []; // the lines of a record still open inside quotes
  private fields: string[] = [];
  private field = '';
  private inQuotes = false;
  private chars = 0;

  private first: PhysicalLine[] = []; // lines read before the delimiter is known
  private firstQuotes = 0;
  private firstChars = 0;

  /** Without a delimiter, it is detected from the first record (which may span lines). */
  constructor(
    private delimiter: Delimiter | undefined,
    private readonly maxRowChars: number,
  ) {}

  /** Feeds one physical line; returns the rows and errors it completes. */
  push(line: PhysicalLine): CsvRow[] {
    if (this.delimiter === undefined) {
      if (this.first.length === 0 && !line.overlong && line.text.trim() === '') return [];
      this.first.push(line);
      this.firstQuotes += line.text.split('"').length - 1;
      this.firstChars += line.text.length + 1;
      if (this.firstQuotes % 2 === 1 && this.firstChars <= HEADER_CHARS && !line.overlong) return [];
      return this.startWithFirstLines();
    }
    const out: CsvRow[] = [];
    // A step may hand lines back to be read again, before any line after them.
    const queue = [line];
    for (let next = queue.shift(); next !== undefined; next = queue.shift())
      queue.unshift(...this.step(next, out));
    return out;
  }

  /** The end of the file: a record still open has a quote that is never closed. */
  end(): CsvRow[] {
    const out: CsvRow[] = this.delimiter === undefined ? this.startWithFirstLines() : [];
    while (this.lines.length > 0) {
      const replay = this.fail(out, `has a quote in field ${this.fields.length + 1} that is never closed`);
      for (const l of replay) for (const row of this.push(l)) out.push(row);
    }
    return out;
  }

  private startWithFirstLines(): CsvRow[] {
    this.delimiter = detectDelimiter(this.first.map((l) => l.text).join('\n'));
    const lines = this.first;
    this.first = [];
    return lines.flatMap((l) => this.push(l));
  }

  private step(line: PhysicalLine, out: CsvRow[]): PhysicalLine[] {
    if (line.overlong) {
      if (this.lines.length > 0) return this.fail(out, this.tooLong()).concat(line);
      out.push({
        line: line.no,
        error: `is longer than ${size(this.maxRowChars)} characters`,
        text: line.text,
      });
      return [];
    }
    const crlf = line.text.endsWith('\r');
    const text = crlf ? line.text.slice(0, -1) : line.text;
    if (this.lines.length === 0 && !text.includes('"')) {
      const fields = text.split(this.delimiter ?? ',').map((f) => f.trim());
      if (fields.some((f) => f !== '')) out.push({ line: line.no, fields, text });
      return [];
    }
    this.lines.push(line);
    this.chars += line.text.length + 1;
    if (this.chars > this.maxRowChars) return this.fail(out, this.tooLong());
    const problem = this.scan(text, crlf, line.no);
    if (problem !== undefined) return this.fail(out, problem);
    if (!this.inQuotes) {
      const row = {
        line: required(this.lines[0], 'csv: first line of a row').no,
        fields: this.fields,
        text: this.lines.map((l) => l.text).join('\n'),
      };
      if (this.fields.some((f) => f !== '')) out.push(row);
      this.reset();
    }
    return [];
  }

  private tooLong(): string {
    return `is longer than ${size(this.maxRowChars)} characters (has a quote in field ${this.fields.length + 1} that is never closed?)`;
  }

  /** Reports the open record at its first line; returns its other lines, to be read again. */
  private fail(out: CsvRow[], error: string): PhysicalLine[] {
    const [first, ...rest] = this.lines;
    if (first !== undefined) out.push({ line: first.no, error, text: first.text });
    this.reset();
    return rest;
  }

  private reset(): void {
    this.lines = [];
    this.fields = [];
    this.field = '';
    this.inQuotes = false;
    this.chars = 0;
  }

  private blanks(text: string, i: number): number {
    while (i < text.length && (text[i] === ' ' || (text[i] === '\t' && this.delimiter !== '\t'))) i++;
    return i;
  }

  /** Reads one line of the record; returns a problem, or undefined (record done, or still in quotes). */
  private scan(text: string, crlf: boolean, no: number): string | undefined {
    const d = this.delimiter ?? ',';
    let i = 0;
    let afterQuote = this.inQuotes;
    if (this.inQuotes && (i = this.quoted(text, 0, crlf)) < 0) return undefined;
    for (;;) {
      if (afterQuote) {
        const j = this.blanks(text, i);
        this.fields.push(this.field);
        this.field = '';
        afterQuote = false;
        if (j >= text.length) return undefined;
        if (text[j] !== d) {
          const found = excerpt(JSON.stringify(text.slice(j, j + 12)), 20);
          const start = this.lines[0]?.no ?? no;
          const where = start === no ? '' : ` on line ${no}`;
          const open = start === no ? '' : ` (is a quote on line ${start} never closed?)`;
          return `has ${found} after the closing quote of field ${this.fields.length}${where}, where ${describeDelimiter(d)} or the end of the line should be${open}`;
        }
        i = j + 1;
        continue;
      }
      const j = this.blanks(text, i);
      if (text[j] === '"') {
        this.inQuotes = true;
        if ((i = this.quoted(text, j + 1, crlf)) < 0) return undefined;
        afterQuote = true;
        continue;
      }
      const end = text.indexOf(d, i);
      this.fields.push(text.slice(i, end < 0 ? text.length : end).trim());
      if (end < 0) return undefined;
      i = end + 1;
    }
  }

  /** Reads quoted text from `from`; returns the index after the closing quote, or -1 at the line's end. */
  private quoted(text: string, from: number, crlf: boolean): number {
    let i = from;
    for (;;) {
      const q = text.indexOf('"', i);
      if (q < 0) {
        this.field += text.slice(i) + (crlf ? '\r\n' : '\n');
        return -1;
      }
      this.field += text.slice(i, q);
      if (text[q + 1] !== '"') {
        this.inQuotes = false;
        return q + 1;
      }
      this.field += '"';
      i = q + 2;
    }
  }
}
