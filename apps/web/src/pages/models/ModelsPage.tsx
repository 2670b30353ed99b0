import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useApi, useSession } from '../../api/ApiProvider';
import { formatCount, formatDateTime, messageOf } from '../../ui/format';
import { ErrorNotice, PageHeader, Skeleton } from '../../ui/states';
import { ModelVersionsTable } from './ModelVersionsTable';
import './models.css';

const KEY = ['models.versions'];

/**
 * The matching model's versions (docs/decisions/0040-self-retraining.md): which one decides, and
 * for each retraining how it and the model then active did on the held-back sample. Admins can
 * retrain now; the new version becomes active only if it is not worse.
 */
export function ModelsPage() {
  const api = useApi();
  const { state } = useSession();
  const queryClient = useQueryClient();
  const versions = useQuery({ queryKey: KEY, queryFn: () => api.models.versions.query({ limit: 50 }) });
  const retrain = useMutation({
    mutationFn: () => api.models.retrain.mutate(),
    onSettled: () => queryClient.invalidateQueries({ queryKey: KEY }),
  });
  const isAdmin = state.status === 'signedIn' && state.user.role === 'admin';
  const active = versions.data?.find((v) => v.status === 'active');

  return (
    <div className="models-page">
      <PageHeader title="Matching model">
        {isAdmin ? (
          <button type="button" disabled={retrain.isPending} onClick={() => retrain.mutate()}>
            {retrain.isPending ? 'Retraining…' : 'Retrain now'}
          </button>
        ) : null}
      </PageHeader>
      <p className="models-summary">
        The server learns its model from its own records after the first decided records and each time the
        register has grown by a factor. A new version decides only if it is not worse than the active one on a
        held-back sample: every reviewer verdict, and a share of the engine&apos;s own confident decisions.
      </p>
      {active ? (
        <p className="models-active" role="status">
          Active: version {active.id} ({active.version}), since {formatDateTime(active.trainedAt)}
          {active.recordCount === null ? '' : `, learned from ${formatCount(active.recordCount)} records`}.
        </p>
      ) : null}
      {retrain.data ? (
        <p className={`notice notice-${retrain.data.accepted ? 'ok' : 'error'}`} role="status">
          Version {retrain.data.versionId} {retrain.data.accepted ? 'is now active' : 'was rejected'}:{' '}
          {retrain.data.check.reason}.
        </p>
      ) : null}
      {retrain.error ? (
        <p className="notice notice-error" role="alert">
          {messageOf(retrain.error)}
        </p>
      ) : null}
      {versions.error ? <ErrorNotice error={versions.error} onRetry={() => void versions.refetch()} /> : null}
      {versions.data ? <ModelVersionsTable versions={versions.data} /> : <Skeleton rows={4} />}
    </div>
  );
}
