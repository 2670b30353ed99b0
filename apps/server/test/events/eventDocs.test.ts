import fs from 'node:fs';
import path from 'node:path';
import { DiagnosticSeverity, Parser } from '@asyncapi/parser';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { EVENT_TYPES, parseEvent } from '@nexus/schema';
import { useTestServer } from '../../../../test/serverHarness';
import { asyncApiDocument } from '../../src/notifications/eventsAsyncApi';

const EVENTS_DOC = path.resolve(import.meta.dirname, '../../../../docs/events.md');

/** docs/events.md's "Examples of every type": each `### \`type\`` heading and the JSON block under it. */
function documentedExamples(): Map<string, unknown> {
  const text = fs.readFileSync(EVENTS_DOC, 'utf8');
  const section = text.slice(text.indexOf('## Examples of every type'));
  const examples = new Map<string, unknown>();
  for (const match of section.matchAll(/^### `([^`]+)`\n[\s\S]*?^```json\n([\s\S]*?)^```$/gm))
    examples.set(match[1]!, JSON.parse(match[2]!));
  return examples;
}

/** Issue 17: every event type is described with an example, and published as AsyncAPI from the zod schemas. */
describe('the event types as documented and published', () => {
  it('docs/events.md shows an example of every type that parses against its schema', () => {
    const examples = documentedExamples();
    expect([...examples.keys()].sort()).toEqual([...EVENT_TYPES].sort());
    for (const [type, example] of examples) {
      const event = parseEvent(example);
      expect(event.type, type).toBe(type);
    }
  });

  it('the AsyncAPI document is valid AsyncAPI 3.0 and has a message for every type', async () => {
    const { document, diagnostics } = await new Parser().parse(JSON.stringify(asyncApiDocument()));
    expect(
      diagnostics
        .filter((d) => Number(d.severity) === Number(DiagnosticSeverity.Error))
        .map((d) => d.message),
    ).toEqual([]);
    expect(document?.version()).toBe('3.0.0');
    const names = document!
      .channels()
      .get('events')!
      .messages()
      .all()
      .map((m) => m.name());
    expect(names.sort()).toEqual([...EVENT_TYPES].sort());
    expect(document!.channels().get('events')!.address()).toBe('nexus.events');
  });

  it("its payload schemas accept the documented examples and refuse a payload that breaks the type's schema", () => {
    const doc = asyncApiDocument() as {
      components: { messages: Record<string, { payload: object }> };
    };
    const ajv = new Ajv({ strict: false, validateFormats: false });
    for (const [type, example] of documentedExamples()) {
      const validate = ajv.compile(doc.components.messages[type]!.payload);
      expect(validate(example), `${type}: ${ajv.errorsText(validate.errors)}`).toBe(true);
      // Another type's name in `type`: each message is its own type only.
      expect(validate({ ...(example as object), type: 'record.nonsense' }), type).toBe(false);
    }
    const decided = documentedExamples().get('record.decided') as { data: Record<string, unknown> };
    const validate = ajv.compile(doc.components.messages['record.decided']!.payload);
    expect(validate({ ...decided, data: { ...decided.data, status: 'maybe' } })).toBe(false);
    expect(validate({ ...decided, data: { ...decided.data, recordId: undefined } })).toBe(false);
    // Open to fields added later without a new schemaVersion.
    expect(validate({ ...decided, data: { ...decided.data, addedLater: 1 } })).toBe(true);
  });

  describe('served', () => {
    const suite = useTestServer();
    it('at GET /api/asyncapi.json to a signed-in account, 401 without a token', async () => {
      const url = `${suite.server.url}/api/asyncapi.json`;
      expect((await fetch(url)).status).toBe(401);
      const res = await fetch(url, {
        headers: { authorization: `Bearer ${await suite.server.tokenFor('reviewer')}` },
      });
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual(asyncApiDocument());
    });
  });
});
