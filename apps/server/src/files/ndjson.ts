import { mapColumnName } from './columns';
import type { PhysicalLine } from './lines';
import { RecordFileError } from './errors';
import { badRow, toRecordRow, type ReaderContext, type RecordRow } from './rows';

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}

/** Reads one JSON object per line; blank lines are skipped. */
export async function* readNdjsonRecords(
  lines: AsyncIterable<PhysicalLine>,
  ctx: ReaderContext,
): AsyncGenerator<RecordRow> {
  let rows = 0;
  let announced = false;
  for await (const line of lines) {
    const text = line.text.trim();
    if (text === '' && !line.overlong) continue;
    rows++;
    if (line.overlong) {
      yield badRow(line.no, `is longer than ${ctx.maxRowChars.toLocaleString('en')} characters`, text);
      continue;
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (err) {
      yield badRow(line.no, `is not valid JSON (${(err as Error).message})`, text);
      continue;
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      yield badRow(line.no, `is ${kindOf(value)}, not a JSON object of field names to values`, text);
      continue;
    }
    const raw: Record<string, unknown> = {};
    const from = new Map<string, string>();
    let clash: string | undefined;
    for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
      const name = key === 'attributes' ? key : mapColumnName(key, ctx.map);
      const other = from.get(name);
      if (other !== undefined) clash ??= `has both "${other}" and "${key}" as ${name}`;
      from.set(name, key);
      raw[name] = v;
    }
    if (clash !== undefined) {
      yield badRow(line.no, clash, text);
      continue;
    }
    if (!announced) {
      announced = true;
      ctx.onColumns?.(Object.keys(raw));
    }
    yield toRecordRow(line.no, raw, text, ctx.source);
  }
  if (rows === 0) throw new RecordFileError('FILE.EMPTY', ctx.path, 'has only blank lines');
}
