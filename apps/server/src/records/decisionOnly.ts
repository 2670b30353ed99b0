/**
 * What an ingest client is told about a decision: the rule, the scores, the thresholds, each
 * field's level and weight, the ids of the candidates and of the face references. Never the
 * compared values: `fields[].right` is the matched golden record's national id, email, phone,
 * name, date of birth or address. Built by copying known keys, so a key added to explanations
 * later stays hidden from ingest clients until it is added here.
 */
export function decisionOnly(explanation: Record<string, unknown>): Record<string, unknown> {
  const e = explanation;
  const out: Record<string, unknown> = pick(e, ['modelVersion', 'prior', 'total', 'rule']);
  if (isObject(e.thresholds)) out.thresholds = pick(e.thresholds, ['link', 'review']);
  if (Array.isArray(e.fields))
    out.fields = objects(e.fields).map((f) => pick(f, ['field', 'level', 'weight']));
  if (Array.isArray(e.candidates)) {
    out.candidates = objects(e.candidates).map((c) => ({
      ...pick(c, ['goldenId', 'recordId', 'score', 'demographic']),
      ...(isObject(c.biometric) ? { biometric: pick(c.biometric, BIOMETRIC_KEYS) } : {}),
    }));
  }
  if (isObject(e.biometric)) {
    const b = e.biometric;
    out.biometric = {
      ...pick(b, [...BIOMETRIC_KEYS, 'strongMatchWeight', 'noMatchWeight']),
      ...(Array.isArray(b.hits)
        ? {
            hits: objects(b.hits).map((h) =>
              pick(h, ['referenceId', 'goldenId', 'scaledScore', 'internalScore']),
            ),
          }
        : {}),
    };
  }
  // What enrichment did to the record's own names (which adapter, with what outcome), not the values.
  if (Array.isArray(e.enrichment))
    out.enrichment = objects(e.enrichment).map((c) => ({
      ...pick(c, ['adapter', 'outcome', 'reason', 'scripts', 'cached', 'fallback', 'ms']),
      ...(Array.isArray(c.changed) ? { changed: objects(c.changed).map((f) => pick(f, ['field'])) } : {}),
    }));
  if (isObject(e.liveness))
    out.liveness = pick(e.liveness, ['checked', 'live', 'score', 'reason', 'quality', 'threshold']);
  return out;
}

const BIOMETRIC_KEYS = ['level', 'weight', 'referenceId', 'scaledScore'];

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function objects(values: unknown[]): Array<Record<string, unknown>> {
  return values.filter(isObject);
}

function pick(from: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of keys) if (k in from) out[k] = from[k];
  return out;
}
