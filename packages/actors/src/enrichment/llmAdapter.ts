/**
 * The LLM adapter: a free-text full name (a record with `full_name` but no given or family name)
 * or a free-text address (an `address` column and no street, locality, city or postcode) parsed
 * into fields by an OpenAI-compatible chat-completions endpoint, with a strict JSON schema for the
 * answer (response_format json_schema) that zod checks again here. Answers are cached by question
 * and text (bounded, least recently used first out). An answer naming a word that is not in the
 * input, in its script or romanised, is refused as off-schema: a model that invents a name would
 * make two people one. When the endpoint is slow, down or off-schema, the resilient wrapper
 * answers with the local adapter (resilientAdapter.ts).
 */
import { LLM_QUESTIONS, type CanonicalRecord, type LlmAnswer, type LlmQuestion } from '@nexus/schema';
import { normaliseRecord, type NormaliseOptions } from '@nexus/matching';
import { foldWords } from '@nexus/matching';
import { AnswerCache } from './answerCache';
import {
  OffSchemaError,
  ServiceUnavailableError,
  type AdapterAnswer,
  type EnrichmentAdapter,
  type Enriching,
  type FieldChange,
} from './enrichment';
import { romanise } from './romanise';

export interface LlmEndpoint {
  /** Base URL (`.../v1`) or the full `.../chat/completions` URL. */
  url: string;
  model: string;
  /** Sent as `Authorization: Bearer`; unset for endpoints that need none. */
  key?: string;
  /** Answers kept by input. */
  cacheSize: number;
}

/** The longest answer body read: a name or an address is a few hundred bytes. */
const MAX_ANSWER_BYTES = 64 * 1024;

interface Question {
  kind: LlmQuestion;
  text: string;
}

/** What the record asks, if anything: a name to split first, else an address. */
export function questionOf(record: CanonicalRecord): Question | undefined {
  if (record.full_name !== undefined && (record.given_name === undefined || record.family_name === undefined))
    return { kind: 'name', text: record.full_name };
  const address = record.attributes?.address;
  const placed = [record.street, record.locality, record.city, record.postcode].some((v) => v !== undefined);
  if (address !== undefined && address.trim() !== '' && !placed) return { kind: 'address', text: address };
  return undefined;
}

export function completionsUrl(url: string): string {
  return /\/chat\/completions\/?$/.test(url) ? url : `${url.replace(/\/+$/, '')}/chat/completions`;
}

export class LlmAdapter implements EnrichmentAdapter {
  readonly name = 'llm';
  private readonly cache: AnswerCache<LlmAnswer>;
  private readonly url: string;

  constructor(
    private readonly endpoint: LlmEndpoint,
    private readonly options: NormaliseOptions = {},
  ) {
    this.cache = new AnswerCache(endpoint.cacheSize);
    this.url = completionsUrl(endpoint.url);
  }

  async enrich(input: Enriching, signal: AbortSignal): Promise<AdapterAnswer> {
    const question = questionOf(input.record);
    if (question === undefined) return { result: input, contribution: { outcome: 'not_applicable' } };
    const key = `${question.kind}\u0000${question.text}`;
    const cached = this.cache.get(key);
    const answer = cached ?? (await this.ask(question, signal));
    if (cached === undefined) this.cache.set(key, answer);
    const record: CanonicalRecord = { ...input.record };
    const changed: FieldChange[] = [];
    for (const [field, value] of Object.entries(answer) as Array<[keyof LlmAnswer, string | null]>) {
      if (value === null || value === '' || record[field] !== undefined) continue;
      record[field] = value;
      changed.push({ field, from: null, to: value });
    }
    if (changed.length === 0)
      return { result: input, contribution: { outcome: 'unchanged', ...(cached ? { cached: true } : {}) } };
    return {
      result: { record, normalised: normaliseRecord(record, this.options) },
      contribution: { outcome: 'applied', changed, ...(cached ? { cached: true } : {}) },
    };
  }

  private async ask(question: Question, signal: AbortSignal): Promise<LlmAnswer> {
    const spec = LLM_QUESTIONS[question.kind];
    let response: Response;
    try {
      response = await fetch(this.url, {
        method: 'POST',
        signal,
        headers: {
          'content-type': 'application/json',
          ...(this.endpoint.key ? { authorization: `Bearer ${this.endpoint.key}` } : {}),
        },
        body: JSON.stringify({
          model: this.endpoint.model,
          temperature: 0,
          messages: [
            { role: 'system', content: spec.instructions },
            { role: 'user', content: question.text },
          ],
          response_format: { type: 'json_schema', json_schema: spec.responseFormat },
        }),
      });
    } catch (error) {
      if (signal.aborted) throw error;
      throw new ServiceUnavailableError(`LLM endpoint unreachable: ${(error as Error).message}`);
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw new ServiceUnavailableError(`LLM endpoint answered status ${response.status}`);
    }
    const body = await readLimited(response, MAX_ANSWER_BYTES);
    const content = messageContent(body);
    let parsed: unknown;
    try {
      parsed = JSON.parse(content);
    } catch {
      throw new OffSchemaError('the answer is not JSON');
    }
    const checked = spec.schema.safeParse(parsed);
    if (!checked.success)
      throw new OffSchemaError(`the answer does not fit its schema: ${checked.error.issues[0]?.message}`);
    if (!grounded(question.text, checked.data))
      throw new OffSchemaError('the answer names words the input does not have');
    return checked.data;
  }
}

/** The body as text, refused past `limit` bytes without reading the rest. */
async function readLimited(response: Response, limit: number): Promise<string> {
  if (response.body === null) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  // Node's web streams are async iterable; the DOM typings some workspaces load do not say so.
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    size += chunk.byteLength;
    // Leaving the loop cancels the stream: the rest is never read.
    if (size > limit) throw new OffSchemaError(`the answer is over ${limit} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** choices[0].message.content of a chat completion, as text. */
function messageContent(body: string): string {
  let completion: unknown;
  try {
    completion = JSON.parse(body);
  } catch {
    throw new OffSchemaError('the completion is not JSON');
  }
  const content = (completion as { choices?: Array<{ message?: { content?: unknown } }> })?.choices?.[0]
    ?.message?.content;
  if (typeof content !== 'string') throw new OffSchemaError('the completion has no message content');
  return content;
}

/** Every word of the answer is a word of the input, as written or romanised. */
function grounded(text: string, answer: LlmAnswer): boolean {
  const words = new Set([...foldWords(text), ...foldWords(romanise(text) ?? '')]);
  return Object.values(answer).every(
    (v) => v === null || v === undefined || foldWords(v).every((w) => words.has(w)),
  );
}
