/**
 * Connects a session to its client over a byte stream (stdio, or the --server socket) with pwatch's own
 * framing reader, and turns the client's disappearance (end of input, a broken pipe) into one call, so the
 * session can end the way a disconnect would instead of dying with gdb and the program.
 */
import { DebugProtocol } from '@vscode/debugprotocol';
import { timingSafeEqual } from 'crypto';
import { PassThrough } from 'stream';
import { MessageReader } from './framing';

export interface ServedSession {
  start(input: NodeJS.ReadableStream, output: NodeJS.WritableStream): void;
  handleMessage(message: DebugProtocol.ProtocolMessage): void;
  /** Answers a request that could not be read with an error response. */
  rejectMalformed(seq: number, command: string, reason: string): void;
  /** The client is gone: end the session as a disconnect with the default terminateDebuggee would. */
  clientLost(reason: string): void;
}

/**
 * For the TCP server: the client must prove it read the token the adapter printed at start, in its first
 * request (`initialize` with `pwatchToken`); anything else is answered with an error and the connection closed.
 */
export interface TokenGate {
  token: string;
  refuse(): void;
}

/** Whether `message` is an initialize request carrying `token` (compared in constant time); strips the token. */
export function admits(message: DebugProtocol.ProtocolMessage, token: string): boolean {
  const request = message as DebugProtocol.Request;
  const args = request.arguments as { pwatchToken?: unknown } | undefined;
  const given = Buffer.from(typeof args?.pwatchToken === 'string' ? args.pwatchToken : '');
  const wanted = Buffer.from(token);
  const ok = request.type === 'request' && request.command === 'initialize' && given.length === wanted.length && timingSafeEqual(given, wanted);
  if (ok) {
    delete args!.pwatchToken;
  }
  return ok;
}

export function serve(
  session: ServedSession,
  input: NodeJS.ReadableStream,
  output: NodeJS.WritableStream,
  log: (text: string) => void,
  gate?: TokenGate,
): void {
  // The library writes responses and events to `output`; reading is ours, so it gets an input that never speaks.
  session.start(new PassThrough(), output);
  const reader = new MessageReader();
  let admitted = gate === undefined;
  input.on('data', (chunk: Buffer) => {
    for (const item of reader.push(chunk)) {
      if (!admitted) {
        const message = item.value as DebugProtocol.Request | undefined;
        if (item.kind === 'message' && admits(message!, gate!.token)) {
          admitted = true;
        } else {
          if (message && Number.isInteger(message.seq)) {
            session.rejectMalformed(message.seq, String(message.command), 'this pwatch server needs the token it printed at start, as pwatchToken in initialize');
          }
          log('pwatch adapter: refused a connection without the server token\n');
          gate!.refuse();
          return;
        }
      }
      if (item.kind === 'message') {
        session.handleMessage(item.value as DebugProtocol.ProtocolMessage);
        continue;
      }
      const request = item.value as { seq?: unknown; command?: unknown } | undefined;
      if (request && typeof request.seq === 'number' && Number.isInteger(request.seq)) {
        session.rejectMalformed(request.seq, typeof request.command === 'string' ? request.command : 'unknown', item.reason);
      } else {
        log(`pwatch adapter: skipped a malformed message from the client: ${item.reason}\n`);
      }
    }
  });
  let gone = false;
  const lost = (reason: string) => () => {
    if (!gone) {
      gone = true;
      session.clientLost(reason);
    }
  };
  input.on('end', lost('the client closed the connection'));
  input.on('close', lost('the client closed the connection'));
  input.on('error', lost('reading from the client failed'));
  output.on('error', lost('writing to the client failed'));
}
