import { formatCount, formatDecimal, formatPercent } from '../../ui/format';
import {
  agreementOf,
  candidateLetter,
  comparedPayload,
  comparedRecordId,
  levelLabel,
  textOf,
  visibleFields,
  type FaceEvidence,
} from './caseFields';
import type { Candidate, ReviewCase } from './reviewTypes';
import { Revealable, type RevealTarget } from '../privacy/Revealable';

export interface FaceImage {
  dataUrl: string | null;
  missing: string | null;
}

/** A face by record id; undefined while it loads. */
export type FaceLookup = (recordId: string) => FaceImage | undefined;

/** Where a candidate's shown values come from: its compared member, else its best values. */
function comparedTarget(c: Candidate): RevealTarget {
  const recordId = comparedRecordId(c);
  return recordId ? { recordId } : { customerId: c.goldenId };
}

/** A cell's value; national ids and phones come masked, with Reveal (recorded). */
function ShownValue({
  field,
  value,
  target,
}: {
  field: string;
  value: string | null;
  target: RevealTarget | null;
}) {
  return value === null ? (
    <span className="muted">—</span>
  ) : (
    <Revealable field={field} value={value} target={target} />
  );
}

/**
 * The incoming record and every candidate side by side, one row per field; each candidate's
 * cell coloured by the comparison level the engine gave that field.
 */
export function ComparisonTable({
  view,
  faces,
  evidence,
}: {
  view: ReviewCase;
  faces: FaceLookup;
  evidence: FaceEvidence;
}) {
  // A merge proposal has no incoming record: its first golden record is the one compared with.
  const first = view.candidates[0];
  const payload = view.record?.payload ?? (first && !view.record ? comparedPayload(first) : {});
  const referenceId = view.record?.id ?? (first ? comparedRecordId(first) : null);
  const compared = view.record ? view.candidates : view.candidates.slice(1);
  const offset = view.record ? 0 : 1;
  const fields = visibleFields(view);
  const levels = compared.map(
    (c) => new Map((c.comparison?.fields ?? []).map((f) => [f.field as string, f.level])),
  );
  const hasFaces =
    textOf(payload.face_image) !== null ||
    view.candidates.some((c) => textOf(comparedPayload(c).face_image) !== null);
  return (
    <div className="table-wrap comparison">
      <table>
        <colgroup>
          <col className="comparison-label" />
          <col />
          {compared.map((c) => (
            <col key={c.goldenId} />
          ))}
        </colgroup>
        <thead>
          <tr>
            <th scope="col">Field</th>
            <th scope="col" className="comparison-incoming">
              {view.record ? 'Incoming record' : 'Candidate A'}
              <small>
                {view.record
                  ? `${view.record.source} · ${view.record.externalId}`
                  : `${formatCount(first?.memberCount)} ${first?.memberCount === 1 ? 'record' : 'records'}`}
              </small>
            </th>
            {compared.map((c, i) => (
              <th scope="col" key={c.goldenId}>
                {view.record ? <span className="candidate-key">{i + 1}</span> : null} Candidate{' '}
                {candidateLetter(i + offset)}
                <small>
                  score {formatDecimal(c.score)} · {formatCount(c.memberCount)}{' '}
                  {c.memberCount === 1 ? 'record' : 'records'}
                  {c.status !== 'active' ? ` · ${c.status}` : ''}
                </small>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {hasFaces ? (
            <tr className="comparison-faces">
              <th scope="row">Face</th>
              <td>
                <Face
                  image={referenceId ? faces(referenceId) : undefined}
                  present={textOf(payload.face_image) !== null}
                />
                {view.record ? <Liveness evidence={evidence} /> : null}
              </td>
              {compared.map((c) => {
                const recordId = comparedRecordId(c);
                const abis = evidence.abis.get(c.goldenId);
                return (
                  <td key={c.goldenId}>
                    <Face
                      image={recordId ? faces(recordId) : undefined}
                      present={textOf(comparedPayload(c).face_image) !== null}
                    />
                    <div className="face-score">
                      ABIS{' '}
                      {abis === undefined ? (
                        <span className="muted">no hit</span>
                      ) : (
                        <strong>{formatDecimal(abis)}</strong>
                      )}
                    </div>
                  </td>
                );
              })}
            </tr>
          ) : null}
          {fields.map((f) => (
            <tr key={f.key}>
              <th scope="row">{f.label}</th>
              <td className="comparison-value">
                <ShownValue
                  field={f.key}
                  value={textOf(payload[f.key])}
                  target={referenceId ? { recordId: referenceId } : null}
                />
              </td>
              {compared.map((c, i) => {
                const candidateLevels = levels[i];
                if (candidateLevels === undefined)
                  throw new Error(`no comparison levels for candidate ${c.goldenId}`);
                const level = candidateLevels.get(f.key);
                const agreement = agreementOf(level);
                const value = textOf(comparedPayload(c)[f.key]);
                return (
                  <td
                    key={c.goldenId}
                    className={`comparison-value ${agreement === 'none' ? '' : agreement}`}
                    data-agreement={agreement}
                    title={level ? `${f.label}: ${levelLabel(level)}` : undefined}
                  >
                    <ShownValue field={f.key} value={value} target={comparedTarget(c)} />
                    {level && agreement !== 'none' && agreement !== 'agree' ? (
                      <span className="level-tag">{levelLabel(level)}</span>
                    ) : null}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Face({ image, present }: { image: FaceImage | undefined; present: boolean }) {
  if (!present) return <div className="face-frame face-none">no face</div>;
  if (image === undefined) return <div className="face-frame face-loading" aria-busy="true" />;
  if (!image.dataUrl)
    return (
      <div className="face-frame face-none" title={image.missing ?? undefined}>
        unreadable
      </div>
    );
  return <img className="face-frame" src={image.dataUrl} alt="Face" />;
}

function Liveness({ evidence }: { evidence: FaceEvidence }) {
  const l = evidence.liveness;
  if (!l?.checked) return <div className="face-score muted">liveness not checked</div>;
  return (
    <div className="face-score">
      Liveness <strong className={l.live ? 'text-ok' : 'text-bad'}>{formatPercent(l.score)}</strong>{' '}
      {l.live ? 'live' : 'spoof'}
    </div>
  );
}
