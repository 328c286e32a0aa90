/**
 * Standalone entry: `node dist/adapter.js` speaks DAP over stdin/stdout (for VS Code, nvim-dap, dape).
 * `--server=PORT` listens on 127.0.0.1 only, one session per connection, for debugging the adapter itself.
 */
import * as net from 'net';
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
    const session = new PwatchSession();
    session.start(process.stdin, process.stdout);
    return;
  }
  const server = net.createServer((socket) => {
    const session = new PwatchSession();
    session.setRunAsServer(true);
    session.start(socket, socket);
  });
  server.listen(port, '127.0.0.1', () => {
    const address = server.address() as net.AddressInfo;
    process.stderr.write(`pwatch adapter listening on 127.0.0.1:${address.port}\n`);
  });
}

main();
