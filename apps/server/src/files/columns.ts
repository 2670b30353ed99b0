import { CANONICAL_FIELDS } from '@nexus/schema';
import { ColumnMapError, RecordFileError } from './errors';

const canonical = new Set<string>(CANONICAL_FIELDS);

/** Header names and map keys are compared trimmed and lower-cased. */
export function normaliseColumnName(name: string): string {
  return name.trim().toLowerCase();
}

/** `--map col=-` drops a column: it is neither matched on nor kept as an attribute. */
const DROP = '-';

/**
 * Parses `--map col=field,...` into `{ col: field }`. Column names are normalised like header names;
 * every target must be a canonical field (or `-` to drop the column), and no column or field may
 * appear twice.
 */
export function parseColumnMap(spec: string): Record<string, string> {
  const map: Record<string, string> = {};
  const targets = new Map<string, string>();
  for (const part of spec.split(',')) {
    const item = part.trim();
    if (item === '') continue;
    const eq = item.indexOf('=');
    const col = normaliseColumnName(eq < 0 ? '' : item.slice(0, eq));
    const field = normaliseColumnName(eq < 0 ? '' : item.slice(eq + 1));
    if (eq < 0 || col === '' || field === '' || field.includes('=')) {
      throw new ColumnMapError(`--map: "${item}" is not col=field`);
    }
    if (field === DROP) {
      if (Object.hasOwn(map, col)) throw new ColumnMapError(`--map: column "${col}" is mapped twice`);
      map[col] = '';
      continue;
    }
    if (!canonical.has(field)) {
      throw new ColumnMapError(
        `--map: "${field}" (in "${item}") is not a canonical field; use one of ${CANONICAL_FIELDS.join(', ')}, or - to drop the column`,
      );
    }
    if (Object.hasOwn(map, col)) throw new ColumnMapError(`--map: column "${col}" is mapped twice`);
    const other = targets.get(field);
    if (other !== undefined) throw new ColumnMapError(`--map: both "${other}" and "${col}" map to ${field}`);
    map[col] = field;
    targets.set(field, col);
  }
  return map;
}

/** The same map with its keys normalised (for maps built in code rather than by parseColumnMap). */
export function normaliseColumnMap(map: Record<string, string> | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const [col, field] of Object.entries(map ?? {})) out.set(normaliseColumnName(col), field.trim());
  return out;
}

/** Renames one column: normalised, then mapped. */
export function mapColumnName(name: string, map: Map<string, string>): string {
  const n = normaliseColumnName(name);
  return map.get(n) ?? n;
}

/**
 * Turns a CSV header into the column names records are keyed by (normalised, then `--map` applied).
 * Throws when two columns end up with the same name or no column is external_id.
 */
export function resolveHeader(header: readonly string[], map: Map<string, string>, path: string): string[] {
  const columns = header.map((h) => mapColumnName(h, map));
  const seen = new Map<string, number>();
  columns.forEach((c, i) => {
    const first = seen.get(c);
    if (c === '') return;
    if (first !== undefined) {
      const names = header[first] === header[i] ? `"${header[i]}"` : `"${header[first]}" and "${header[i]}"`;
      throw new RecordFileError(
        'FILE.DUPLICATE_COLUMN',
        path,
        `the header has ${names} (columns ${first + 1} and ${i + 1}) both as ${c}; each column must be named once`,
      );
    }
    seen.set(c, i);
  });
  if (!seen.has('external_id')) throw noExternalId(header, columns, map, path);
  return columns;
}

function noExternalId(header: readonly string[], columns: string[], map: Map<string, string>, path: string) {
  const names = header.map(normaliseColumnName).filter((c) => c !== '');
  const guess = names.find((c) => /(^|[_\s-])id$|^key$/.test(c) && !map.has(c)) ?? names[0] ?? 'COLUMN';
  const looksLikeData = !columns.some((c) => canonical.has(c) || map.has(c));
  return new RecordFileError(
    'FILE.NO_EXTERNAL_ID_COLUMN',
    path,
    `no external_id column${map.size > 0 ? ' after --map' : ''}; columns seen: ${excerptList(names)}. ` +
      `Name the record id column with --map ${guess}=external_id` +
      (looksLikeData ? ' (the first line must be a header of column names)' : ''),
  );
}

function excerptList(names: string[], max = 30): string {
  if (names.length === 0) return '(none)';
  return names.length <= max
    ? names.join(', ')
    : `${names.slice(0, max).join(', ')} and ${names.length - max} more`;
}

/**
 * The notice the CLI prints once for columns that are not canonical fields (they are kept as
 * attributes of each record), or undefined when every column is a canonical field.
 */
export function describeUnknownColumns(header: readonly string[]): string | undefined {
  const unknown = [...new Set(header.map(normaliseColumnName))].filter((c) => c !== '' && !canonical.has(c));
  if (unknown.length === 0) return undefined;
  const what =
    unknown.length === 1
      ? 'column is not a canonical field and is kept as an attribute'
      : 'columns are not canonical fields and are kept as attributes';
  return `${unknown.length} ${what}: ${excerptList(unknown)} (rename with --map col=field)`;
}
