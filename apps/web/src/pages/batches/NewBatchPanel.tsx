import { useId, useState, type FormEvent } from 'react';
import { formatCount, messageOf } from '../../ui/format';
import { ErrorNotice } from '../../ui/states';
import type { BatchReceipt, UploadReading } from './batchTypes';
import { fieldErrorsOf } from './fieldErrors';

const MAX_PROBLEMS_SHOWN = 8;
const ACCEPT = '.csv,.tsv,.txt,.json,.ndjson,.jsonl,text/csv,application/json';

/** FileReader rather than Blob.text(): the same in every browser and in the component tests' jsdom. */
const readText = (file: File) =>
  new Promise<string>((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(typeof reader.result === 'string' ? reader.result : '');
    reader.onerror = () => reject(reader.error ?? new Error(`${file.name} could not be read`));
    reader.readAsText(file);
  });

const sourceOf = (fileName: string) => fileName.replace(/\.[^.]+$/, '').trim();

/**
 * Chooses a file (or pasted text), shows what the server's reader made of it (records, columns,
 * each bad row with its line and field), then submits the valid records as one batch.
 */
export function NewBatchPanel({
  maxRecords,
  onRead,
  onSubmit,
  onClose,
}: {
  maxRecords: number;
  onRead: (fileName: string, content: string) => Promise<UploadReading>;
  onSubmit: (source: string, reading: UploadReading) => Promise<BatchReceipt>;
  onClose: () => void;
}) {
  const id = useId();
  const [source, setSource] = useState('');
  const [fileName, setFileName] = useState('');
  const [pasted, setPasted] = useState('');
  const [reading, setReading] = useState<UploadReading | null>(null);
  const [readError, setReadError] = useState<unknown>(null);
  const [submitError, setSubmitError] = useState<unknown>(null);
  const [busy, setBusy] = useState<'reading' | 'submitting' | null>(null);

  async function read(name: string, content: string) {
    setBusy('reading');
    setReading(null);
    setReadError(null);
    setSubmitError(null);
    try {
      setReading(await onRead(name, content));
    } catch (error) {
      setReadError(error);
    } finally {
      setBusy(null);
    }
  }

  async function chooseFile(file: File | undefined) {
    if (!file) return;
    setFileName(file.name);
    if (source.trim() === '') setSource(sourceOf(file.name));
    let content: string;
    try {
      content = await readText(file);
    } catch (error) {
      setReadError(error);
      return;
    }
    await read(file.name, content);
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!reading || reading.records.length === 0 || source.trim() === '') return;
    setBusy('submitting');
    setSubmitError(null);
    try {
      await onSubmit(source.trim(), reading);
    } catch (error) {
      setSubmitError(error);
      setBusy(null);
    }
  }

  const submitFields = fieldErrorsOf(submitError);
  const sourceProblem = submitFields.find((f) => f.field === 'source')?.message;
  const readProblem = fieldErrorsOf(readError).find((f) => f.field === 'file')?.message;
  const tooMany = reading !== null && reading.records.length > maxRecords;
  const missingSource = source.trim() === '';

  return (
    <form className="card new-batch" aria-labelledby={`${id}-title`} onSubmit={(e) => void submit(e)}>
      <div className="new-batch-head">
        <h2 id={`${id}-title`}>New batch</h2>
        <button type="button" className="button-link" onClick={onClose}>
          Close
        </button>
      </div>
      <p className="muted">
        A CSV file with a header row (any of <code>,</code> <code>;</code> tab <code>|</code>), NDJSON, or a
        JSON array of records; at most {formatCount(maxRecords)} records. Columns use the canonical field
        names (<code>external_id</code>, <code>given_name</code>, <code>family_name</code>,{' '}
        <code>date_of_birth</code>…).
      </p>
      <div className="new-batch-grid">
        <label className="field" htmlFor={`${id}-file`}>
          <span>File</span>
          <input
            id={`${id}-file`}
            type="file"
            accept={ACCEPT}
            disabled={busy !== null}
            onChange={(e) => void chooseFile(e.target.files?.[0])}
          />
        </label>
        <div className="field">
          <label htmlFor={`${id}-source`}>Source</label>
          <input
            id={`${id}-source`}
            value={source}
            maxLength={200}
            placeholder="e.g. registry-north"
            aria-invalid={sourceProblem ? true : undefined}
            aria-describedby={`${id}-source-help`}
            onChange={(e) => setSource(e.target.value)}
          />
          <small id={`${id}-source-help`} className={sourceProblem ? 'field-error' : 'muted'}>
            {sourceProblem ?? 'Where the records come from; external ids are unique within a source.'}
          </small>
        </div>
      </div>
      <details className="paste">
        <summary>Or paste records</summary>
        <label className="field" htmlFor={`${id}-paste`}>
          <span>Records (CSV with a header, NDJSON or a JSON array)</span>
          <textarea
            id={`${id}-paste`}
            rows={6}
            value={pasted}
            spellCheck={false}
            onChange={(e) => setPasted(e.target.value)}
          />
        </label>
        <button
          type="button"
          disabled={pasted.trim() === '' || busy !== null}
          onClick={() => {
            setFileName('pasted text');
            void read(pasted.trimStart().startsWith('{') ? 'pasted.ndjson' : 'pasted.csv', pasted);
          }}
        >
          Read pasted records
        </button>
      </details>

      <div className="new-batch-result" aria-live="polite">
        {busy === 'reading' ? <p className="muted">Reading {fileName}…</p> : null}
        {readError ? (
          <div className="notice notice-error" role="alert">
            <strong>{fileName} cannot be used:</strong> <span>{readProblem ?? messageOf(readError)}</span>
          </div>
        ) : null}
        {reading ? <ReadingSummary fileName={fileName} reading={reading} maxRecords={maxRecords} /> : null}
        {submitError && !sourceProblem ? <ErrorNotice error={submitError} /> : null}
        {submitFields
          .filter((f) => f.field !== 'source')
          .map((f) => (
            <p key={f.field} className="field-error">
              {f.field}: {f.message}
            </p>
          ))}
      </div>

      <div className="new-batch-actions">
        <button
          type="submit"
          className="primary"
          disabled={!reading || reading.records.length === 0 || tooMany || missingSource || busy !== null}
        >
          {busy === 'submitting'
            ? 'Submitting…'
            : reading && reading.records.length > 0
              ? `Submit ${formatCount(reading.records.length)} records`
              : 'Submit'}
        </button>
        {reading && missingSource ? (
          <span className="field-error">Give the batch a source first.</span>
        ) : null}
      </div>
    </form>
  );
}

function ReadingSummary({
  fileName,
  reading,
  maxRecords,
}: {
  fileName: string;
  reading: UploadReading;
  maxRecords: number;
}) {
  const n = reading.records.length;
  return (
    <div className="reading">
      <p className={n > 0 ? 'notice notice-ok' : 'notice notice-error'} role="status">
        <strong>
          {formatCount(n)} record{n === 1 ? '' : 's'} ready
        </strong>
        <span>
          from {fileName} ({reading.format.toUpperCase()}
          {reading.columns.length > 0 ? `; columns ${reading.columns.join(', ')}` : ''})
          {reading.problemCount > 0
            ? `; ${formatCount(reading.problemCount)} row${reading.problemCount === 1 ? '' : 's'} left out`
            : ''}
          {reading.warnings > 0 ? `; ${formatCount(reading.warnings)} with warnings (kept)` : ''}.
        </span>
      </p>
      {n > maxRecords ? (
        <p className="field-error">
          A batch holds at most {formatCount(maxRecords)} records: split the file.
        </p>
      ) : null}
      {reading.problems.length > 0 ? (
        <div className="table-wrap problems">
          <table aria-label="Rows left out">
            <thead>
              <tr>
                <th className="num">Line</th>
                <th>Field</th>
                <th>Problem</th>
              </tr>
            </thead>
            <tbody>
              {reading.problems.slice(0, MAX_PROBLEMS_SHOWN).flatMap((p) =>
                p.errors.map((e, i) => (
                  <tr key={`${p.line}-${i}`}>
                    <td className="num">{i === 0 ? formatCount(p.line) : ''}</td>
                    <td>
                      <code>{e.field}</code>
                    </td>
                    <td>{e.message}</td>
                  </tr>
                )),
              )}
            </tbody>
          </table>
          {reading.problemCount > MAX_PROBLEMS_SHOWN ? (
            <p className="muted problems-more">
              …and {formatCount(reading.problemCount - MAX_PROBLEMS_SHOWN)} more rows. Fix them in the file
              and choose it again, or submit the rest.
            </p>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}
