/**
 * pwatch's requests and events from the client's side, typed by pwatchProtocol.ts: tests, bench and scripts call
 * these instead of casting bodies by hand, so a changed field fails their build too.
 */
import { DebugProtocol } from '@vscode/debugprotocol';
import { PwatchEventName, PwatchEvents, PwatchRequestName, PwatchRequests } from './pwatchProtocol';

/** What a DAP client offers (DebugClient of @vscode/debugadapter-testsupport, for one). */
export interface DapClient {
  customRequest(command: string, args?: unknown): Promise<DebugProtocol.Response>;
  on(event: string, listener: (event: DebugProtocol.Event) => void): unknown;
}

export async function pwatchRequest<K extends PwatchRequestName>(client: DapClient, command: K, args: PwatchRequests[K]['args']): Promise<PwatchRequests[K]['body']> {
  return (await client.customRequest(command, args)).body as PwatchRequests[K]['body'];
}

export function onPwatchEvent<K extends PwatchEventName>(client: DapClient, event: K, listener: (body: PwatchEvents[K]) => void): void {
  client.on(event, (e) => listener(e.body as PwatchEvents[K]));
}
