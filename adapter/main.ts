/**
 * Standalone entry: `node dist/adapter.js` speaks DAP over stdin/stdout (for VS Code, nvim-dap, dape).
 * `--server=PORT` listens on 127.0.0.1 only (a client must present the printed token), `--server=/path.sock` on a
 * Unix socket only this user can open; one session per connection, for debugging the adapter or sharing it.
 */
import { randomBytes } from 'crypto';
import * as net from 'net';
import * as path from 'path';
import { serve } from './protocol/clientConnection';
import { PwatchSession } from './session';

/** `--server=PORT` (TCP on 127.0.0.1, with a token) or `--server=/path.sock` (a Unix socket only this user can open). */
type ServerAddress = { port: number } | { socketPath: string };

function serverAddress(argv: readonly string[]): ServerAddress | undefined {
  const arg = argv.find((a) => a.startsWith('--server='));
  if (!arg) {
    return undefined;
  }
  const value = arg.slice('--server='.length);
  if (value.includes('/')) {
    return { socketPath: path.resolve(value) };
  }
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65535) {
    throw new Error(`--server needs a port number or a socket path, not ${JSON.stringify(value)}`);
  }
  return { port };
}

function log(text: string): void {
  process.stderr.write(text);
}

function main(): void {
  // A failed request must never take the adapter (and with it gdb and the debuggee) down.
  process.on('unhandledRejection', (reason) => {
    log(`pwatch adapter: unhandled failure: ${reason instanceof Error ? reason.stack : String(reason)}\n`);
  });
  const address = serverAddress(process.argv.slice(2));
  if (address === undefined) {
    serve(new PwatchSession(), process.stdin, process.stdout, log);
    return;
  }
  // Anyone on the machine can connect to a TCP port, and a session can run gdb commands (-exec): a TCP client
  // must present the random token printed here. A Unix socket is made 0600: only this user can connect.
  const token = 'port' in address ? randomBytes(16).toString('hex') : undefined;
  const server = net.createServer((socket) => {
    const session = new PwatchSession();
    session.setRunAsServer(true);
    serve(session, socket, socket, log, token === undefined ? undefined : { token, refuse: () => socket.end() });
  });
  if ('socketPath' in address) {
    const previous = process.umask(0o177);
    server.listen(address.socketPath, () => {
      process.umask(previous);
      log(`pwatch adapter listening on ${address.socketPath} (mode 0600)\n`);
    });
  } else {
    server.listen(address.port, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port;
      log(`pwatch adapter listening on 127.0.0.1:${port}; token ${token} (send it as pwatchToken in initialize)\n`);
    });
  }
  server.on('error', (e) => {
    log(`pwatch adapter: cannot listen: ${e.message}\n`);
    process.exit(1);
  });
}

main();
