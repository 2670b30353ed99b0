import type { InfiniteData } from '@tanstack/react-query';
import type { Batch, BatchPage } from './batchTypes';

export const BATCHES_KEY = ['batches.list'];

/** Puts live batch states into the cached pages; says whether one of them was not on any page yet. */
export function mergeLive(
  data: InfiniteData<BatchPage> | undefined,
  views: Batch[],
): { data: InfiniteData<BatchPage> | undefined; unknown: boolean } {
  if (!data) return { data, unknown: views.length > 0 };
  const byId = new Map(views.map((v) => [v.id, v]));
  const seen = new Set<string>();
  const pages = data.pages.map((page) => ({
    ...page,
    items: page.items.map((b) => {
      const live = byId.get(b.id);
      if (!live) return b;
      seen.add(b.id);
      return live;
    }),
  }));
  return { data: { ...data, pages }, unknown: views.some((v) => !seen.has(v.id)) };
}
