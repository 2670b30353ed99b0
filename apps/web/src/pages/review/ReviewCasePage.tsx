import { useMutation, useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useLocation, useNavigate, useParams } from 'react-router';
import { useApi, useSession } from '../../api/ApiProvider';
import { useLive } from '../../api/useLive';
import { formatDateTime } from '../../ui/format';
import { EmptyState, ErrorNotice, Skeleton } from '../../ui/states';
import { comparedRecordId } from './caseFields';
import type { FaceImage } from './ComparisonTable';
import { nextCaseAfter, resolutionNotice } from './nextCase';
import { ReviewCaseView } from './ReviewCaseView';
import { RevealProvider, type RevealValue } from '../privacy/Revealable';
import type { Decision, ReviewCase } from './reviewTypes';
import './review.css';

/** Why the signed-in reviewer may only look at this case, or null when they may decide it. */
function readOnlyReason(view: ReviewCase, me: string): string | null {
  const c = view.case;
  if (c.status === 'resolved')
    return `Resolved by ${c.resolvedBy ?? 'someone'} (${(c.resolution ?? '').replaceAll('_', ' ')}) on ${formatDateTime(c.resolvedAt)}: ${c.reason ?? ''}`;
  if (c.status === 'claimed' && c.claimedBy !== me)
    return `${c.claimedBy ?? 'Another reviewer'} is working on this case (claimed ${formatDateTime(c.claimedAt)}): you can look, not decide.`;
  return null;
}

/** A case: claimed when opened, resolved from the view, then on to the next case of the queue. */
export function ReviewCasePage() {
  const { caseId = '' } = useParams();
  const api = useApi();
  const { state } = useSession();
  const me = state.status === 'signedIn' ? state.user.username : '';
  const navigate = useNavigate();
  const location = useLocation();
  const queryClient = useQueryClient();
  const queryKey = ['review', 'case', caseId];
  const caseQuery = useQuery({ queryKey, queryFn: () => api.review.get.query({ caseId }) });
  const [claimError, setClaimError] = useState<unknown>(null);
  const claimedOnce = useRef<string | null>(null);

  const claim = useMutation({
    mutationFn: () => api.review.claim.mutate({ caseId }),
    onSuccess: (view) => queryClient.setQueryData(queryKey, view),
    onError: (error) => {
      setClaimError(error);
      void queryClient.invalidateQueries({ queryKey });
    },
  });
  const view = caseQuery.data;
  useEffect(() => {
    // Opening a case claims it, once per case: nobody else picks it up while it is on screen.
    if (!view || claimedOnce.current === caseId) return;
    const c = view.case;
    if (c.status === 'open' || (c.status === 'claimed' && c.claimedBy === me)) {
      claimedOnce.current = caseId;
      claim.mutate();
    }
  }, [view, caseId, me, claim]);

  useLive<{ data: { caseId: string | null; actor: string } }>(
    `review-case-${caseId}`,
    (handlers) => api.live.reviewCases.subscribe({}, handlers),
    (event) => {
      if (event.data.caseId === caseId && event.data.actor !== me)
        void queryClient.invalidateQueries({ queryKey });
    },
  );

  // A value revealed while reviewing a case has the case as its reason, as reading the case does.
  const reveal = useCallback<RevealValue>(
    (target, field) =>
      api.access.reveal.mutate({ ...target, field, reason: `review case ${caseId}` }).then((r) => r.value),
    [api, caseId],
  );

  const resolve = useMutation({
    mutationFn: ({ decision, reason }: { decision: Decision; reason: string }) =>
      api.review.resolve.mutate(
        decision.resolution === 'same_as'
          ? { caseId, resolution: 'same_as', goldenId: decision.goldenId, reason }
          : { caseId, resolution: decision.resolution, reason },
      ),
    onSuccess: async (_done, { decision }) => {
      void queryClient.invalidateQueries({ queryKey: ['review'] });
      const next = await nextCaseAfter(api, caseId, me);
      const notice = resolutionNotice(decision, view?.case.name ?? null);
      await navigate(next ? `/review/${next}` : '/review', { state: { notice } });
    },
  });

  const faceIds = view
    ? [view.record?.id, ...view.candidates.map(comparedRecordId)].filter((id): id is string => !!id)
    : [];
  const faceQueries = useQueries({
    queries: faceIds.map((recordId) => ({
      queryKey: ['records', 'face', recordId],
      queryFn: () => api.records.face.query({ recordId }),
      staleTime: Infinity,
    })),
  });
  const faces = new Map<string, FaceImage>();
  faceIds.forEach((recordId, i) => {
    const q = faceQueries[i];
    if (q === undefined) throw new Error(`no face query for record ${recordId}`);
    if (q.data) faces.set(recordId, q.data);
    else if (q.error) faces.set(recordId, { dataUrl: null, missing: 'could not be loaded' });
  });

  const back = async () => {
    const c = view?.case;
    if (c?.status === 'claimed' && c.claimedBy === me) {
      // Leaving without deciding gives the case back to the queue at once, not after the claim lapses.
      await api.review.release.mutate({ caseId }).catch(() => undefined);
      void queryClient.invalidateQueries({ queryKey: ['review', 'queue'] });
    }
    await navigate('/review');
  };

  if (caseQuery.isPending) return <Skeleton rows={10} height="2rem" />;
  if (caseQuery.error) {
    return (
      <>
        <ErrorNotice error={caseQuery.error} onRetry={() => void caseQuery.refetch()} />
        <EmptyState title="This case cannot be shown">
          <a href="/review" onClick={(e) => (e.preventDefault(), void navigate('/review'))}>
            Back to the review queue
          </a>
        </EmptyState>
      </>
    );
  }
  const notice = (location.state as { notice?: string } | null)?.notice;
  return (
    <>
      {notice ? (
        <div className="notice notice-ok review-toast" role="status">
          {notice}
        </div>
      ) : null}
      {claimError ? <ErrorNotice error={claimError} /> : null}
      <RevealProvider reveal={reveal}>
        <ReviewCaseView
          key={caseId}
          view={caseQuery.data}
          readOnly={readOnlyReason(caseQuery.data, me)}
          faces={(id) => faces.get(id)}
          busy={resolve.isPending}
          error={resolve.error}
          onResolve={(decision, reason) => resolve.mutate({ decision, reason })}
          onBack={() => void back()}
          onDialog={(open) => {
            if (!open) resolve.reset();
          }}
        />
      </RevealProvider>
    </>
  );
}
