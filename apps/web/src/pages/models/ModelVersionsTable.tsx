import type { inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from '@nexus/server';
import { formatCount, formatDateTime } from '../../ui/format';

export type ModelVersion = inferRouterOutputs<AppRouter>['models']['versions'][number];

const TRIGGERS: Record<NonNullable<ModelVersion['trigger']>, string> = {
  first_records: 'first records',
  growth: 'register grew',
  on_demand: 'on demand',
};

/** "12 (active 11)": a figure of the new version beside the active model's on the same sample. */
function beside(candidate: number | undefined, active: number | undefined) {
  if (candidate === undefined || active === undefined) return '–';
  return `${formatCount(candidate)} (active ${formatCount(active)})`;
}

export function ModelVersionsTable({ versions }: { versions: ModelVersion[] }) {
  return (
    <div className="table-wrap">
      <table className="models-table" aria-label="Model versions">
        <thead>
          <tr>
            <th scope="col">Version</th>
            <th scope="col">Status</th>
            <th scope="col">Trained</th>
            <th scope="col">Why</th>
            <th scope="col">Records</th>
            <th scope="col">Held-back cases</th>
            <th scope="col">Right</th>
            <th scope="col">False links</th>
            <th scope="col">Left apart</th>
            <th scope="col">Verdict</th>
          </tr>
        </thead>
        <tbody>
          {versions.map((v) => {
            const c = v.evaluation?.candidate;
            const a = v.evaluation?.active;
            return (
              <tr key={v.id} className={v.status === 'active' ? 'models-row-active' : undefined}>
                <td>
                  {v.id} <span className="models-version-name">{v.version}</span>
                </td>
                <td>
                  <span className={`models-status models-status-${v.status}`}>{v.status}</span>
                </td>
                <td>{formatDateTime(v.trainedAt)}</td>
                <td>
                  {v.trigger
                    ? TRIGGERS[v.trigger]
                    : v.kind === 'default'
                      ? 'shipped defaults'
                      : 'trained by hand'}
                </td>
                <td>{formatCount(v.recordCount)}</td>
                <td>
                  {c ? `${formatCount(c.cases)} (${formatCount(c.reviewer.cases)} reviewer verdicts)` : '–'}
                </td>
                <td>{beside(c?.right, a?.right)}</td>
                <td>{beside(c?.falseLinks, a?.falseLinks)}</td>
                <td>{beside(c?.missedLinks, a?.missedLinks)}</td>
                <td>{v.evaluation?.reason ?? '–'}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
