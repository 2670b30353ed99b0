// The entry for Node: the browser entry's surface, a WebSocket for Node 20 (which has no global
// one), and the file helper.
import { WebSocket as NodeWebSocket } from 'ws';
import {
  createNexusClient as createWithOptions,
  type NexusClient,
  type NexusClientOptions,
} from './createNexusClient.js';
import type { NexusAuth } from './credentials.js';

export * from './browser.js';
export { submitFile, type SubmitFileOptions } from './submitFile.js';

const WebSocketImpl = globalThis.WebSocket ?? (NodeWebSocket as unknown as typeof globalThis.WebSocket);

/** {@inheritDoc createWithOptions} */
export function createNexusClient(
  url: string,
  auth: NexusAuth,
  options: NexusClientOptions = {},
): NexusClient {
  return createWithOptions(url, auth, { WebSocket: WebSocketImpl, ...options });
}
