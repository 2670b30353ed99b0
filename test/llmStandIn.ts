/**
 * A stand-in for an OpenAI-compatible chat-completions endpoint (an outside service, like Tech5):
 * a real HTTP server on a loopback port that answers POST /v1/chat/completions the way such an
 * endpoint does, parsing a full name or an address into the fields its response_format asks for.
 * A test sets how it behaves: answering, slowly, with 500s, with a body that is not JSON, with
 * message content that is not JSON, off its schema, naming words the input does not have, or with a body far too large.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type StandInMode =
  'answer' | 'slow' | 'error' | 'malformed' | 'not_json_content' | 'off_schema' | 'invented' | 'huge';

export interface StandInRequest {
  authorization: string | undefined;
  body: {
    model: string;
    messages: Array<{ role: string; content: string }>;
    response_format: {
      type: string;
      json_schema: { name: string; strict: boolean; schema: { required: string[] } };
    };
  };
}

export interface LlmStandIn {
  url: string;
  requests: StandInRequest[];
  setMode(mode: StandInMode, delayMs?: number): void;
  close(): Promise<void>;
}

/** How the stand-in parses: "Family, Given" or "Given [Middle...] Family"; an address by commas. */
function parse(fields: string[], text: string): Record<string, string | null> {
  const out: Record<string, string | null> = Object.fromEntries(fields.map((f) => [f, null]));
  if (fields.includes('given_name')) {
    const comma = text.indexOf(',');
    const words =
      comma >= 0
        ? [
            ...text
              .slice(comma + 1)
              .trim()
              .split(/\s+/),
            text.slice(0, comma).trim(),
          ]
        : text.trim().split(/\s+/);
    out.given_name = words[0] ?? null;
    out.family_name = words.length > 1 ? words.at(-1)! : null;
    out.middle_name = words.length > 2 ? words.slice(1, -1).join(' ') : null;
    return out;
  }
  const [first, locality, city] = text.split(',').map((p) => p.trim());
  const number = /^(\d+\w?)\s+(.*)$/.exec(first ?? '');
  out.street_number = number?.[1] ?? null;
  out.street = number?.[2] ?? first ?? null;
  out.locality = locality ?? null;
  const cityAndCode = /^(.*?)\s*(\d{4,})$/.exec(city ?? '');
  out.city = cityAndCode?.[1] ?? city ?? null;
  out.postcode = cityAndCode?.[2] ?? null;
  return out;
}

export async function startLlmStandIn(): Promise<LlmStandIn> {
  let mode: StandInMode = 'answer';
  let delay = 0;
  const requests: StandInRequest[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.method !== 'POST' || req.url !== '/v1/chat/completions') {
        res.writeHead(404).end();
        return;
      }
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as StandInRequest['body'];
      requests.push({ authorization: req.headers.authorization, body });
      const fields = body.response_format.json_schema.schema.required;
      const text = body.messages.find((m) => m.role === 'user')?.content ?? '';
      const reply = (content: string) =>
        res.writeHead(200, { 'content-type': 'application/json' }).end(
          JSON.stringify({
            id: `chatcmpl-${requests.length}`,
            object: 'chat.completion',
            model: body.model,
            choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content } }],
          }),
        );
      switch (mode) {
        case 'error':
          res
            .writeHead(500, { 'content-type': 'application/json' })
            .end('{"error":{"message":"overloaded"}}');
          return;
        case 'malformed':
          res.writeHead(200, { 'content-type': 'application/json' }).end('{"choices": [');
          return;
        case 'not_json_content':
          reply('Sure! The given name is Ann.');
          return;
        case 'off_schema':
          reply(JSON.stringify({ first: 'Ann', last: 'Lee' }));
          return;
        case 'invented':
          reply(JSON.stringify({ ...parse(fields, text), family_name: 'Smith' }));
          return;
        case 'slow':
          setTimeout(() => {
            if (!res.destroyed) reply(JSON.stringify(parse(fields, text)));
          }, delay).unref();
          return;
        case 'huge':
          reply(JSON.stringify({ ...parse(fields, text), padding: 'x'.repeat(100_000) }));
          return;
        case 'answer':
          reply(JSON.stringify(parse(fields, text)));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    setMode: (m, ms = 0) => {
      mode = m;
      delay = ms;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
