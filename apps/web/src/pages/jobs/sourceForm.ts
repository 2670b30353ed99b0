/** The source form's fields as text, and the spec the API takes (docs/decisions/0033-jobs.md). */
export interface SourceForm {
  name: string;
  kind: 'url' | 'file' | 'postgres' | 's3';
  url: string;
  bearerToken: string;
  path: string;
  connectionString: string;
  query: string;
  bucket: string;
  key: string;
  endpoint: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** `col=field, ...` as `nexus ingest --map` takes it. */
  map: string;
  schedule: string;
}

export const emptyForm: SourceForm = {
  name: '',
  kind: 'url',
  url: '',
  bearerToken: '',
  path: '',
  connectionString: '',
  query: '',
  bucket: '',
  key: '',
  endpoint: '',
  region: 'us-east-1',
  accessKeyId: '',
  secretAccessKey: '',
  map: '',
  schedule: '',
};

function mapOf(text: string): Record<string, string> {
  const map: Record<string, string> = {};
  for (const pair of text.split(',')) {
    if (pair.trim() === '') continue;
    const [col, field] = pair.split('=');
    if (!col?.trim() || field === undefined) throw new Error(`column map: "${pair.trim()}" is not col=field`);
    map[col.trim()] = field.trim();
  }
  return map;
}

/** Secrets left blank are left out: a saved source keeps its saved ones. */
const secret = (value: string) => (value.trim() === '' ? {} : undefined);

export function specOf(f: SourceForm) {
  const map = mapOf(f.map);
  switch (f.kind) {
    case 'url':
      return {
        kind: 'url' as const,
        url: f.url.trim(),
        map,
        ...(secret(f.bearerToken) ?? { bearerToken: f.bearerToken }),
      };
    case 'file':
      return { kind: 'file' as const, path: f.path.trim(), map };
    case 'postgres':
      return {
        kind: 'postgres' as const,
        query: f.query,
        map,
        // Required by the spec: an edit of a Postgres source gives it again.
        connectionString: f.connectionString,
      };
    case 's3': {
      const prefix = f.key.endsWith('/');
      return {
        kind: 's3' as const,
        bucket: f.bucket.trim(),
        ...(prefix ? { prefix: f.key } : { key: f.key }),
        region: f.region.trim() || 'us-east-1',
        ...(f.endpoint.trim() ? { endpoint: f.endpoint.trim(), forcePathStyle: true } : {}),
        ...(secret(f.accessKeyId) ?? { accessKeyId: f.accessKeyId }),
        ...(secret(f.secretAccessKey) ?? { secretAccessKey: f.secretAccessKey }),
        map,
      };
    }
  }
}

/** A saved source back into the form; secrets stay blank (they are never sent to the browser). */
export function formOf(s: {
  name: string;
  kind: string;
  settings: Record<string, unknown>;
  map: Record<string, string>;
  schedule: string | null;
}): SourceForm {
  const str = (v: unknown) => (typeof v === 'string' ? v : '');
  return {
    ...emptyForm,
    name: s.name,
    kind: (['url', 'file', 'postgres', 's3'].includes(s.kind) ? s.kind : 'url') as SourceForm['kind'],
    url: str(s.settings.url),
    path: str(s.settings.path),
    query: str(s.settings.query),
    bucket: str(s.settings.bucket),
    key: str(s.settings.key) || str(s.settings.prefix),
    endpoint: str(s.settings.endpoint),
    region: str(s.settings.region) || 'us-east-1',
    map: Object.entries(s.map)
      .map(([c, f]) => `${c}=${f}`)
      .join(', '),
    schedule: s.schedule ?? '',
  };
}
