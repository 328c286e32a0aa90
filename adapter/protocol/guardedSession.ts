/**
 * A DebugSession hardened at the protocol level, below anything pwatch-specific: requests without
 * `arguments` (which DAP allows, and which the library and handlers once crashed on), requests pwatch does not
 * implement (refused instead of an empty success), malformed requests (answered), error texts taken literally,
 * and a vanished client (the session ends as a disconnect would, never by the library killing everything).
 */
import { DebugSession, Response } from '@vscode/debugadapter';
import { DebugProtocol } from '@vscode/debugprotocol';
import { NOT_SUPPORTED } from './capabilities';
import { ServedSession } from './clientConnection';

export abstract class GuardedSession extends DebugSession implements ServedSession {
  private clientGone = false;

  constructor() {
    super();
    // The library shuts down (and with it kills gdb, leaving an attached program stopped or with gdb's
    // breakpoints in its code) on any stream error or close; the session is ended properly instead.
    this.removeAllListeners('close');
    this.removeAllListeners('error');
    this.on('close', () => this.clientLost('the client closed the connection'));
    this.on('error', () => this.clientLost('the connection to the client failed'));
  }

  /** Why `command` cannot be done in this session as it is now (a core dump cannot run), if it cannot. */
  protected refusal(command: string): string | undefined {
    void command;
    return undefined;
  }

  /** Handles a request itself instead of the library's per-request methods; true if it did. */
  protected route(request: DebugProtocol.Request): boolean {
    void request;
    return false;
  }

  /** Ends the session as `disconnect` with its default terminateDebuggee would. */
  protected abstract endForLostClient(): Promise<void>;

  protected dispatchRequest(request: DebugProtocol.Request): void {
    if (typeof request.arguments !== 'object' || request.arguments === null) {
      request.arguments = {};
    }
    if (NOT_SUPPORTED.has(request.command)) {
      this.fail(new Response(request), 1007, `'${request.command}' is not supported by pwatch`, false);
      return;
    }
    const refusal = this.refusal(request.command);
    if (refusal) {
      this.fail(new Response(request), 1008, refusal, false);
      return;
    }
    if (!this.route(request)) {
      super.dispatchRequest(request);
    }
  }

  /** The runInTerminal reverse request as a promise: rejected with the client's message when it refuses. */
  protected runInTerminal(args: DebugProtocol.RunInTerminalRequestArguments, timeoutMs = 15000): Promise<DebugProtocol.RunInTerminalResponse> {
    return new Promise((resolve, reject) =>
      this.runInTerminalRequest(args, timeoutMs, (r) => (r.success ? resolve(r) : reject(new Error(r.message || 'the client could not open a terminal')))),
    );
  }

  rejectMalformed(seq: number, command: string, reason: string): void {
    this.fail(new Response({ seq, command, type: 'request' }), 1006, `malformed request: ${reason}`, false);
  }

  /** The client vanished (end of input, broken pipe, a crashed editor). */
  clientLost(reason: string): void {
    if (this.clientGone) {
      return;
    }
    this.clientGone = true;
    process.stderr.write(`pwatch adapter: ${reason}: ending the session as a disconnect would\n`);
    void this.endForLostClient().finally(() => this.shutdown());
  }

  /**
   * An error response whose text is taken literally. The library treats `{name}` in a message as a
   * placeholder, and error texts quote user input (expressions, paths), so the text goes in a variable.
   */
  protected fail(response: DebugProtocol.Response, id: number, text: string, showUser: boolean): void {
    this.sendErrorResponse(response, { id, format: '{_message}', variables: { _message: text }, showUser });
  }
}
