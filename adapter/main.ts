/**
 * Standalone entry: `node dist/adapter.js` speaks DAP over stdin/stdout (for VS Code, nvim-dap, dape).
 * `--server=PORT` listens on 127.0.0.1 only, one session per connection, for debugging the adapter itself.
 */
import * as net from 'net';
import { serve } from './protocol/clientConnection';
import { PwatchSession } from './session';

function serverPort(argv: readonly string[]): number | undefined {
  const arg = argv.find((a) => a.startsWith('--server='));
  if (!arg) {
    return undefined;
  }
  const port = Number(arg.slice('--server='.length));
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`--server needs a port number, not ${JSON.stringify(arg)}`);
  }
  return port;
}

function main(): void {
  // A failed request must never take the adapter (and with it gdb and the debuggee) down.
  process.on('unhandledRejection', (reason) => {
    process.stderr.write(`pwatch adapter: unhandled failure: ${reason instanceof Error ? reason.stack : String(reason)}\n`);
  });
  const port = serverPort(process.argv.slice(2));
  if (port === undefined) {
    serve(new PwatchSession(), process.stdin, process.stdout, (text) => process.stderr.write(text));
    return;
  }
  const server = net.createServer((socket) => {
    const session = new PwatchSession();
    session.setRunAsServer(true);
    serve(session, socket, socket, (text) => process.stderr.write(text));
  });
  server.listen(port, '127.0.0.1', () => {
    const address = server.address() as net.AddressInfo;
    process.stderr.write(`pwatch adapter listening on 127.0.0.1:${address.port}\n`);
  });
}

main();
