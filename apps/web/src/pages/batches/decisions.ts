import type { ProgressSegment } from '../../ui/ProgressBar';
import type { BatchCounts } from './batchTypes';

type DecisionKey = 'new' | 'linked' | 'review' | 'rejected' | 'dead_lettered' | 'cancelled' | 'pending';

/** Decisions in the order people read them, with the words and colours used everywhere. */
export const DECISIONS: Array<{ key: DecisionKey; label: string; tone: string }> = [
  { key: 'new', label: 'New', tone: 'decision-new' },
  { key: 'linked', label: 'Linked', tone: 'decision-linked' },
  { key: 'review', label: 'Review', tone: 'decision-review' },
  { key: 'rejected', label: 'Rejected', tone: 'decision-rejected' },
  { key: 'dead_lettered', label: 'Dead-lettered', tone: 'decision-dead_lettered' },
  { key: 'cancelled', label: 'Cancelled', tone: 'decision-cancelled' },
  { key: 'pending', label: 'Pending', tone: 'decision-pending' },
];

/** The decided part of a batch as bar segments (pending is the empty rest of the bar). */
export const segmentsOf = (counts: BatchCounts): ProgressSegment[] =>
  DECISIONS.filter((d) => d.key !== 'pending').map((d) => ({
    label: d.label,
    value: counts[d.key],
    tone: d.tone,
  }));

export const decidedOf = (c: BatchCounts): number => c.records - c.pending;

export const labelOfStatus = (status: string): string =>
  ({
    received: 'Queued',
    processing: 'Running',
    completed: 'Completed',
    failed: 'Failed',
    cancelled: 'Cancelled',
  })[status] ?? status;

/** A record's status as a decision: received and relayed are both "pending" to a reader. */
export const decisionOf = (status: string): DecisionKey =>
  status === 'received' || status === 'relayed' ? 'pending' : (status as DecisionKey);

export const isRunning = (status: string): boolean => status === 'received' || status === 'processing';
