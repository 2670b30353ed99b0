import { sql } from 'kysely';
import type { Db } from '@nexus/actors';
import type { HeldBackFigures } from '@nexus/matching';
import type { RetrainTrigger } from '@nexus/schema';

/** A model version as the dashboard and the API show it (never its parameters in full). */
export interface ModelVersionView {
  id: number;
  version: string;
  kind: 'default' | 'trained';
  /** `rejected`: the held-back check found it worse, so it never decided anything. */
  status: 'active' | 'inactive' | 'rejected';
  trainedAt: string;
  trigger: RetrainTrigger | null;
  recordCount: number | null;
  matchProbability: number | null;
  evaluation: {
    reason: string;
    comparedWith: number;
    candidate: HeldBackFigures;
    active: HeldBackFigures;
  } | null;
  notes: string | null;
}

export async function listModelVersions(db: Db, limit: number): Promise<ModelVersionView[]> {
  const rows = await db
    .selectFrom('model_versions')
    .select([
      'id',
      'kind',
      'active',
      'created_at',
      'trigger',
      'record_count',
      'evaluation',
      'verdict',
      'notes',
      sql<string | null>`params->>'version'`.as('version'),
      sql<string | null>`params->>'matchProbability'`.as('match_probability'),
    ])
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    version: String(r.version ?? ''),
    kind: r.kind,
    status: r.active ? 'active' : r.verdict === 'rejected' ? 'rejected' : 'inactive',
    trainedAt: new Date(r.created_at as unknown as string).toISOString(),
    trigger: r.trigger,
    recordCount: r.record_count,
    matchProbability: r.match_probability === null ? null : Number(r.match_probability),
    evaluation: (r.evaluation as unknown as ModelVersionView['evaluation']) ?? null,
    notes: r.notes,
  }));
}
