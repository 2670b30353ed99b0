/**
 * Rows of CSV text (RFC 4180: quoted fields may hold the delimiter, quotes doubled, line breaks)
 * as objects keyed by the header row's names. Chunks may split anywhere.
 */
export async function* csvRecords(
  chunks: AsyncIterable<string>,
  delimiter = ',',
): AsyncGenerator<Record<string, string>> {
  let header: string[] | undefined;
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let afterQuote = false;
  let rowHasContent = false;
  const endField = () => {
    row.push(field);
    field = '';
    afterQuote = false;
  };
  const endRow = (): Record<string, string> | undefined => {
    endField();
    const cells = row;
    row = [];
    const blank = !rowHasContent;
    rowHasContent = false;
    if (blank) return undefined;
    if (!header) {
      header = cells.map((c, i) => (i === 0 ? c.replace(/^\uFEFF/, '') : c).trim());
      return undefined;
    }
    return Object.fromEntries(header.map((name, i) => [name, cells[i] ?? '']));
  };
  for await (const chunk of chunks) {
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk.charAt(i);
      if (quoted) {
        if (c !== '"') {
          field += c;
        } else if (chunk[i + 1] === '"') {
          field += '"';
          i++;
        } else {
          // At a chunk's end the quote may be the first of a doubled pair: the next chunk decides.
          quoted = false;
          afterQuote = true;
        }
        continue;
      }
      if (c === '"' && afterQuote) {
        // The second quote of a pair split across chunks.
        field += '"';
        quoted = true;
        afterQuote = false;
      } else if (c === '"' && field === '') {
        quoted = true;
        rowHasContent = true;
      } else if (c === delimiter) {
        endField();
        rowHasContent = true;
      } else if (c === '\n') {
        const record = endRow();
        if (record) yield record;
      } else if (c !== '\r') {
        field += c;
        rowHasContent = true;
        afterQuote = false;
      }
    }
  }
  if (quoted) throw new Error('the CSV ends inside a quoted field');
  const record = endRow();
  if (record) yield record;
}
