import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import { useApi } from '../../api/ApiProvider';
import { formatDateTime, messageOf } from '../../ui/format';
import { EmptyState, ErrorNotice, PageHeader, Skeleton } from '../../ui/states';
import { SourcePreviewPanel, type Preview } from './SourcePreviewPanel';
import { emptyForm, formOf, specOf, type SourceForm } from './sourceForm';

/**
 * Saved sources (docs/decisions/0033-jobs.md): create, edit, delete, test the connection, run now.
 * Secrets are write-only: the form shows which are saved, never their values; left blank they stay.
 */
export function SourcesPage() {
  const api = useApi();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const sources = useQuery({ queryKey: ['jobs.sources'], queryFn: () => api.jobs.sources.query() });
  const [form, setForm] = useState<SourceForm>(emptyForm);
  const [editing, setEditing] = useState<{ id: string; secrets: string[] } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [preview, setPreview] = useState<Preview | null>(null);
  const [testing, setTesting] = useState(false);
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['jobs.sources'] });
  const set = (patch: Partial<SourceForm>) => setForm((f) => ({ ...f, ...patch }));

  const save = (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    let source;
    try {
      source = specOf(form);
    } catch (err) {
      return setError(messageOf(err));
    }
    const schedule = form.schedule.trim() === '' ? null : form.schedule.trim();
    const call = editing
      ? api.jobs.updateSource.mutate({ sourceId: editing.id, name: form.name, schedule, source })
      : api.jobs.createSource.mutate({ name: form.name, schedule, source });
    call.then(
      () => {
        setForm(emptyForm);
        setEditing(null);
        setPreview(null);
        void refresh();
      },
      (err: unknown) => setError(messageOf(err)),
    );
  };

  const test = (input: Parameters<typeof api.jobs.testSource.mutate>[0]) => {
    setError(null);
    setTesting(true);
    api.jobs.testSource
      .mutate(input)
      .then(setPreview, (err: unknown) => setError(messageOf(err)))
      .finally(() => setTesting(false));
  };
  const testForm = () => {
    try {
      test({ ...(editing ? { sourceId: editing.id } : {}), source: specOf(form), rows: 5 });
    } catch (err) {
      setError(messageOf(err));
    }
  };

  return (
    <div className="sources-page">
      <PageHeader title="Sources" />
      {error ? (
        <p className="notice notice-error" role="alert">
          {error}
        </p>
      ) : null}
      <form className="source-form" aria-label={editing ? 'Edit source' : 'New source'} onSubmit={save}>
        <h2>{editing ? `Edit ${form.name}` : 'New source'}</h2>
        <label>
          Name <input value={form.name} onChange={(e) => set({ name: e.target.value })} required />
        </label>
        <label>
          Kind{' '}
          <select value={form.kind} onChange={(e) => set({ kind: e.target.value as SourceForm['kind'] })}>
            <option value="url">url</option>
            <option value="file">file</option>
            <option value="postgres">postgres</option>
            <option value="s3">s3</option>
          </select>
        </label>
        {form.kind === 'url' ? (
          <>
            <label>
              URL <input value={form.url} onChange={(e) => set({ url: e.target.value })} required />
            </label>
            <label>
              Bearer token{' '}
              <input
                type="password"
                autoComplete="off"
                value={form.bearerToken}
                placeholder={editing?.secrets.includes('bearerToken') ? 'saved; blank keeps it' : ''}
                onChange={(e) => set({ bearerToken: e.target.value })}
              />
            </label>
          </>
        ) : null}
        {form.kind === 'file' ? (
          <label>
            Path <input value={form.path} onChange={(e) => set({ path: e.target.value })} required />
          </label>
        ) : null}
        {form.kind === 'postgres' ? (
          <>
            <label>
              Connection string{' '}
              <input
                type="password"
                autoComplete="off"
                value={form.connectionString}
                placeholder={editing ? 'saved, never shown: give it again to save changes' : ''}
                onChange={(e) => set({ connectionString: e.target.value })}
                required
              />
            </label>
            <label>
              Query <textarea value={form.query} onChange={(e) => set({ query: e.target.value })} required />
            </label>
          </>
        ) : null}
        {form.kind === 's3' ? (
          <>
            <label>
              Bucket <input value={form.bucket} onChange={(e) => set({ bucket: e.target.value })} required />
            </label>
            <label>
              Key or prefix/{' '}
              <input value={form.key} onChange={(e) => set({ key: e.target.value })} required />
            </label>
            <label>
              Endpoint <input value={form.endpoint} onChange={(e) => set({ endpoint: e.target.value })} />
            </label>
            <label>
              Region <input value={form.region} onChange={(e) => set({ region: e.target.value })} />
            </label>
            <label>
              Access key id{' '}
              <input
                type="password"
                autoComplete="off"
                value={form.accessKeyId}
                placeholder={editing?.secrets.includes('accessKeyId') ? 'saved; blank keeps it' : ''}
                onChange={(e) => set({ accessKeyId: e.target.value })}
              />
            </label>
            <label>
              Secret access key{' '}
              <input
                type="password"
                autoComplete="off"
                value={form.secretAccessKey}
                placeholder={editing?.secrets.includes('secretAccessKey') ? 'saved; blank keeps it' : ''}
                onChange={(e) => set({ secretAccessKey: e.target.value })}
              />
            </label>
          </>
        ) : null}
        <label>
          Column map{' '}
          <input
            value={form.map}
            placeholder="rec_id=external_id, dob=date_of_birth"
            onChange={(e) => set({ map: e.target.value })}
          />
        </label>
        <label>
          Schedule (cron, UTC){' '}
          <input
            value={form.schedule}
            placeholder="0 2 * * *"
            onChange={(e) => set({ schedule: e.target.value })}
          />
        </label>
        <div className="row-actions">
          <button type="button" onClick={testForm} disabled={testing}>
            Test the connection
          </button>
          <button type="submit">{editing ? 'Save changes' : 'Save source'}</button>
          {editing ? (
            <button
              type="button"
              onClick={() => {
                setEditing(null);
                setForm(emptyForm);
              }}
            >
              Cancel edit
            </button>
          ) : null}
        </div>
      </form>
      {testing ? <Skeleton rows={2} /> : preview ? <SourcePreviewPanel preview={preview} /> : null}
      {sources.isPending ? (
        <Skeleton rows={4} />
      ) : sources.isError ? (
        <ErrorNotice error={sources.error} onRetry={() => void sources.refetch()} />
      ) : sources.data.length === 0 ? (
        <EmptyState title="No sources">
          Save one above: a URL, a file, a Postgres query or an S3 object.
        </EmptyState>
      ) : (
        <div className="table-wrap">
          <table aria-label="Sources">
            <thead>
              <tr>
                <th>Name</th>
                <th>Kind</th>
                <th>Where</th>
                <th>Schedule</th>
                <th>Secrets</th>
                <th aria-label="Actions" />
              </tr>
            </thead>
            <tbody>
              {sources.data.map((s) => (
                <tr key={s.id}>
                  <td>{s.name}</td>
                  <td>
                    <span className="badge">{s.kind}</span>
                  </td>
                  <td>{whereOf(s.settings)}</td>
                  <td>
                    {s.schedule ?? <span className="muted">none</span>}
                    {s.nextRunAt ? (
                      <small className="muted"> next {formatDateTime(s.nextRunAt)}</small>
                    ) : null}
                  </td>
                  <td>
                    {s.secrets.length > 0 ? (
                      `${s.secrets.join(', ')} (saved)`
                    ) : (
                      <span className="muted">none</span>
                    )}
                  </td>
                  <td className="row-actions">
                    <button
                      type="button"
                      onClick={() =>
                        void api.jobs.create.mutate({ sourceId: s.id }).then(
                          (job) => void navigate(`/jobs/${job.id}`),
                          (err: unknown) => setError(messageOf(err)),
                        )
                      }
                    >
                      Run now
                    </button>
                    <button type="button" onClick={() => test({ sourceId: s.id, rows: 5 })}>
                      Test
                    </button>
                    <button
                      type="button"
                      onClick={() => {
                        setEditing({ id: s.id, secrets: s.secrets });
                        setForm(formOf(s));
                        setPreview(null);
                      }}
                    >
                      Edit
                    </button>
                    <button
                      type="button"
                      onClick={() =>
                        void api.jobs.removeSource.mutate({ sourceId: s.id }).then(
                          () => void refresh(),
                          (err: unknown) => setError(messageOf(err)),
                        )
                      }
                    >
                      Delete
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

/** Where a source reads from, from its settings (never its secrets). */
function whereOf(settings: Record<string, unknown>): string {
  const first = [settings.url, settings.path, settings.connection, settings.bucket].find(
    (v): v is string => typeof v === 'string',
  );
  return first ?? '';
}
