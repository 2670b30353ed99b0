/**
 * What the enrichment stage did to the record under review (docs/decisions/0041-enrichment-stage.md):
 * which names were compared romanised or parsed, and an adapter that fell back, so a reviewer
 * knows that "Shcherbakov" on screen was sent as "Щербаков".
 */
interface Contribution {
  adapter: string;
  outcome: string;
  reason?: string;
  fallback?: string;
  scripts?: string[];
  changed?: Array<{ field: string; from: string | null; to: string | null }>;
  alternates?: Array<{ field: string; forms: string[] }>;
}

const FIELD_LABELS: Record<string, string> = {
  given_name: 'given name',
  middle_name: 'middle name',
  family_name: 'family name',
  full_name: 'full name',
};

export function enrichmentOf(explanation: Record<string, unknown> | null): Contribution[] {
  const list = explanation?.enrichment;
  return Array.isArray(list) ? (list as Contribution[]).filter((c) => typeof c?.adapter === 'string') : [];
}

export function EnrichmentNotes({ explanation }: { explanation: Record<string, unknown> | null }) {
  const notes = enrichmentOf(explanation).filter((c) => c.outcome === 'applied' || c.outcome === 'fallback');
  if (notes.length === 0) return null;
  return (
    <section aria-label="Enrichment" className="enrichment-notes">
      <h3>Enrichment</h3>
      <ul>
        {notes.map((c, i) => (
          <li key={`${c.adapter}-${i}`}>
            <strong>{c.adapter}</strong>{' '}
            {c.outcome === 'fallback'
              ? `fell back (${c.reason ?? 'error'}) to ${c.fallback ?? 'nothing'}`
              : c.scripts?.length
                ? `romanised ${c.scripts.join(', ')}`
                : 'applied'}
            {c.changed?.length ? (
              <ul>
                {c.changed.map((f) => (
                  <li key={f.field}>
                    {FIELD_LABELS[f.field] ?? f.field.replace(/_/g, ' ')}: {f.from ?? '(none)'} →{' '}
                    {f.to ?? '(none)'}
                  </li>
                ))}
              </ul>
            ) : null}
          </li>
        ))}
      </ul>
    </section>
  );
}
