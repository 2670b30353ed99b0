import { useState } from 'react';
import { formatAgo, formatDateTime, formatDecimal } from '../../ui/format';
import { Waterfall } from '../../ui/Waterfall';
import { candidateLetter, faceEvidence } from './caseFields';
import { ComparisonTable, type FaceLookup } from './ComparisonTable';
import { EnrichmentNotes } from './EnrichmentNotes';
import { ReasonDialog } from './ReasonDialog';
import { KIND_LABELS, type Decision, type ReviewCase } from './reviewTypes';
import { ShortcutsHelp } from './ShortcutsHelp';
import { useCaseShortcuts } from './useCaseShortcuts';

const noFaces: FaceLookup = () => ({ dataUrl: null, missing: 'not loaded' });

/** Merging golden records only makes sense with two of them on the table. */
export const canMerge = (view: ReviewCase) => view.candidates.length > 1;

function describe(
  decision: Decision,
  hasRecord: boolean,
): {
  title: string;
  description: string;
  confirm: string;
  danger?: boolean;
} {
  switch (decision.resolution) {
    case 'same_as':
      return {
        title: `Same person as candidate ${decision.label}`,
        description: 'The incoming record joins this golden record.',
        confirm: 'Link record',
      };
    case 'new_person':
      return {
        title: 'A new person',
        description: 'None of the candidates is this person: the record founds a new golden record.',
        confirm: 'Create new person',
      };
    case 'merge':
      return {
        title: 'Merge the candidates',
        description: 'The candidates are one person: they merge into the oldest, and the record joins them.',
        confirm: 'Merge',
      };
    case 'reject':
      if (!hasRecord)
        return {
          title: 'Keep the golden records apart',
          description: 'They are different people: they stay apart and are not proposed again.',
          confirm: 'Keep apart',
        };
      return {
        title: 'Reject the record',
        description: 'The record is not a usable person record: it is kept out of every golden record.',
        confirm: 'Reject record',
        danger: true,
      };
  }
}

/**
 * One review case: who is asking, who they might be, why the engine was unsure, and the
 * decision, from the buttons or single keys. `readOnly` says why deciding is not possible.
 */
export function ReviewCaseView({
  view,
  readOnly,
  faces = noFaces,
  busy = false,
  error = null,
  onResolve,
  onBack,
  onDialog,
}: {
  view: ReviewCase;
  readOnly?: string | null;
  faces?: FaceLookup;
  busy?: boolean;
  error?: unknown;
  onResolve: (decision: Decision, reason: string) => void;
  onBack: () => void;
  /** Told when the reason dialog opens or closes (a failed resolution is cleared on close). */
  onDialog?: (open: boolean) => void;
}) {
  const [pending, setPending] = useState<Decision | null>(null);
  const [help, setHelp] = useState(false);
  const decide = (d: Decision | null) => {
    setPending(d);
    onDialog?.(d !== null);
  };
  const canDecide = !readOnly;
  // same as / new person speak about a record; a merge proposal between golden records has none.
  const hasRecord = view.record !== null;
  const sameAs = (index: number): Decision | null => {
    const c = view.candidates[index];
    return c ? { resolution: 'same_as', goldenId: c.goldenId, label: candidateLetter(index) } : null;
  };
  useCaseShortcuts(pending === null, {
    candidate: (index) => {
      if (canDecide && hasRecord) decide(sameAs(index));
    },
    key: (key) => {
      if (key === 'Escape') return help ? setHelp(false) : onBack();
      if (key === '?') return setHelp((h) => !h);
      if (!canDecide) return;
      if (key === 'n' && hasRecord) decide({ resolution: 'new_person' });
      if (key === 'r') decide({ resolution: 'reject' });
      if (key === 'm' && canMerge(view)) decide({ resolution: 'merge' });
    },
  });
  const c = view.case;
  const dialog = pending ? describe(pending, hasRecord) : null;
  const evidence = faceEvidence(view.explanation);
  return (
    <div className="review-case">
      <header className="page-header case-header">
        <div>
          <h1>
            {c.name ?? 'Unnamed record'} <span className={`badge kind-${c.kind}`}>{KIND_LABELS[c.kind]}</span>
          </h1>
          <p className="case-meta">
            <span title={formatDateTime(c.createdAt)}>opened {formatAgo(c.createdAt)}</span>
            <span>score {formatDecimal(c.score)}</span>
            <span>
              {view.candidates.length} {view.candidates.length === 1 ? 'candidate' : 'candidates'}
            </span>
            {c.claimedBy ? <span>claimed by {c.claimedBy}</span> : null}
          </p>
        </div>
        <div className="page-actions">
          <button type="button" onClick={() => setHelp(true)}>
            Shortcuts <kbd>?</kbd>
          </button>
          <button type="button" onClick={onBack}>
            Back to queue <kbd>Esc</kbd>
          </button>
        </div>
      </header>

      {readOnly ? (
        <div className="notice" role="status">
          {readOnly}
        </div>
      ) : null}

      <div className="decision-bar" role="toolbar" aria-label="Decision">
        {view.candidates.map((cand, i) =>
          i < 9 && hasRecord ? (
            <button
              key={cand.goldenId}
              type="button"
              className="primary"
              disabled={!canDecide}
              onClick={() => decide(sameAs(i))}
            >
              <kbd>{i + 1}</kbd> Same as {candidateLetter(i)}
            </button>
          ) : null,
        )}
        {hasRecord ? (
          <button type="button" disabled={!canDecide} onClick={() => decide({ resolution: 'new_person' })}>
            <kbd>N</kbd> New person
          </button>
        ) : null}
        {canMerge(view) ? (
          <button
            type="button"
            className={hasRecord ? undefined : 'primary'}
            disabled={!canDecide}
            onClick={() => decide({ resolution: 'merge' })}
          >
            <kbd>M</kbd> Merge candidates
          </button>
        ) : null}
        <button
          type="button"
          className="decision-reject"
          disabled={!canDecide}
          onClick={() => decide({ resolution: 'reject' })}
        >
          <kbd>R</kbd> {hasRecord ? 'Reject' : 'Keep apart'}
        </button>
      </div>

      <div className="case-grid">
        <section aria-label="Side by side">
          <ComparisonTable view={view} faces={faces} evidence={evidence} />
        </section>
        <aside className="card case-explanation" aria-label="Explanation">
          {view.waterfall ? (
            <Waterfall data={view.waterfall} title="Why the engine was unsure" />
          ) : (
            <p className="muted">This decision kept no explanation.</p>
          )}
          <EnrichmentNotes explanation={view.explanation} />
          <Legend />
        </aside>
      </div>

      {pending && dialog ? (
        <ReasonDialog
          title={dialog.title}
          description={dialog.description}
          confirmLabel={dialog.confirm}
          danger={dialog.danger ?? false}
          busy={busy}
          error={error}
          onConfirm={(reason) => onResolve(pending, reason)}
          onCancel={() => decide(null)}
        />
      ) : null}
      {help ? (
        <ShortcutsHelp
          candidates={view.candidates.length}
          merge={canMerge(view)}
          onClose={() => setHelp(false)}
        />
      ) : null}
    </div>
  );
}

function Legend() {
  return (
    <p className="agreement-legend">
      <span className="agree">agrees</span>
      <span className="partial">partly</span>
      <span className="disagree">differs</span>
      <span className="muted">cells of the candidates, by the engine&apos;s comparison</span>
    </p>
  );
}
