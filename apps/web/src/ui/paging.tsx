import type { ReactNode } from 'react';

/** A list read page by page, newest first, as a view gets it from its page. */
export type PagedList = {
  loading: boolean;
  error: unknown;
  onRetry: () => void;
  hasMore: boolean;
  loadingMore: boolean;
  onLoadMore: () => void;
};

/** The props of `PagedList` from a TanStack infinite query. */
export function pagedListOf(query: {
  isPending: boolean;
  error: unknown;
  refetch: () => Promise<unknown>;
  hasNextPage: boolean;
  isFetchingNextPage: boolean;
  fetchNextPage: () => Promise<unknown>;
}): PagedList {
  return {
    loading: query.isPending,
    error: query.error,
    onRetry: () => void query.refetch(),
    hasMore: query.hasNextPage,
    loadingMore: query.isFetchingNextPage,
    onLoadMore: () => void query.fetchNextPage(),
  };
}

/**
 * The button under a list that fetches the next page; `children` is what stands there once
 * there is nothing more (nothing by default).
 */
export function LoadMore({
  hasMore,
  loadingMore,
  onLoadMore,
  label,
  children,
}: Pick<PagedList, 'hasMore' | 'loadingMore' | 'onLoadMore'> & { label: string; children?: ReactNode }) {
  if (!hasMore && !children) return null;
  return (
    <div className="load-more">
      {hasMore ? (
        <button type="button" onClick={onLoadMore} disabled={loadingMore}>
          {loadingMore ? 'Loading…' : label}
        </button>
      ) : (
        children
      )}
    </div>
  );
}
