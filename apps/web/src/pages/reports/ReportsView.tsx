import { useState, type FormEvent } from 'react';
import { ErrorNotice, Skeleton } from '../../ui/states';
import { ReportSection } from './ReportSection';
import {
  duplicateRateBySource,
  fieldQualityBySource,
  invalidFieldsBySource,
  reviewBacklog,
  reviewerThroughput,
  reviewerTotals,
  volumeByDecision,
} from './reportTables';
import type { Report, ReportRange } from './reportTypes';

/** The range form and the five reports; everything it shows comes in as props (tested without a server). */
export function ReportsView({
  range,
  zones,
  report,
  loading,
  error,
  onRange,
  onRetry,
}: {
  range: ReportRange;
  zones: string[];
  report: Report | undefined;
  loading: boolean;
  error: unknown;
  onRange: (range: ReportRange) => void;
  onRetry: () => void;
}) {
  const [draft, setDraft] = useState(range);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onRange(draft);
  };
  const name = (what: string) => `nexus-${what}-${range.from}-${range.to}.csv`;
  return (
    <div className="reports">
      <form className="report-range" onSubmit={submit} aria-label="Report range">
        <label className="field">
          <span>From</span>
          <input
            type="date"
            value={draft.from}
            required
            onChange={(e) => setDraft({ ...draft, from: e.target.value })}
          />
        </label>
        <label className="field">
          <span>To</span>
          <input
            type="date"
            value={draft.to}
            required
            onChange={(e) => setDraft({ ...draft, to: e.target.value })}
          />
        </label>
        <label className="field">
          <span>Source</span>
          <input
            type="text"
            value={draft.source ?? ''}
            placeholder="all sources"
            onChange={(e) =>
              setDraft({ ...draft, ...{ source: e.target.value === '' ? undefined : e.target.value } })
            }
          />
        </label>
        <label className="field">
          <span>Days in</span>
          <select value={draft.zone ?? 'UTC'} onChange={(e) => setDraft({ ...draft, zone: e.target.value })}>
            {zones.map((z) => (
              <option key={z} value={z}>
                {z}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className="primary">
          Show
        </button>
      </form>
      {error ? <ErrorNotice error={error} onRetry={onRetry} /> : null}
      {loading && !report ? <Skeleton rows={8} /> : null}
      {report ? (
        <>
          <p className="muted report-note">
            {report.from} to {report.to}, days in {report.zone}. Rolled up
            {report.lastRollupAt ? ` last at ${new Date(report.lastRollupAt).toLocaleString()}` : ' not yet'};
            the current day is rolled up every minute.
          </p>
          <ReportSection
            title="Volume by decision"
            description="Records received each day, by the decision they have now (all sources)."
            table={volumeByDecision(report)}
            chartColumns={['new', 'linked', 'review', 'rejected', 'dead_lettered']}
            file={name('volume')}
          />
          <ReportSection
            title="Duplicate rate by source"
            description="Linked ÷ decided (new + linked + review) of the records each source sent that day."
            table={duplicateRateBySource(report)}
            chartColumns={duplicateRateBySource(report).columns.slice(1)}
            file={name('duplicate-rate')}
          />
          <ReportSection
            title="Review backlog and time to resolve"
            description="Cases opened and resolved each day, cases still open at the end of the day, and hours from opening to resolution."
            table={reviewBacklog(report)}
            chartColumns={['opened', 'resolved', 'backlog']}
            file={name('review')}
          />
          <ReportSection
            title="Field quality by source"
            description="Chart: invalid fields per cleaned record each day. Table: share of cleaned records with each field missing, invalid or repaired over the range."
            table={invalidFieldsBySource(report)}
            chartColumns={invalidFieldsBySource(report).columns.slice(1)}
            detail={fieldQualityBySource(report)}
            file={name('field-quality')}
          />
          <ReportSection
            title="Reviewer throughput"
            description="Cases each reviewer resolved per day; the table gives totals and the median of their daily median handling time (claim to resolution)."
            table={reviewerThroughput(report)}
            chartColumns={reviewerThroughput(report).columns.slice(1)}
            detail={reviewerTotals(report)}
            file={name('reviewers')}
          />
        </>
      ) : null}
    </div>
  );
}
