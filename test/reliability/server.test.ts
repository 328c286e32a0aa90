/**
 * The opt-in server: TCP clients must present the token printed at start, a Unix socket is for this user
 * only, and several sessions in one adapter process (the shape of the adapter inlined in VS Code's extension
 * host) do not hold each other's resources: detaching one leaves its program running untraced while the other
 * keeps answering without a stall.
 */
import * as assert from 'assert';
import { ChildProcess, spawn } from 'child_process';
import { DebugClient } from '@vscode/debugadapter-testsupport';
import { DebugProtocol } from '@vscode/debugprotocol';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { hardwareVerdict } from '../machine';
import { ADAPTER, processStatus, program, Session, SLOWER, suite } from '../integration/harness';
import { exists, holds, until } from './processes';

interface Server {
  child: ChildProcess;
  port: number;
  token: string;
  stderr: () => string;
}

function startServer(): Promise<Server> {
  const child = spawn(process.execPath, [ADAPTER, '--server=0'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let text = '';
  child.stderr!.on('data', (chunk: Buffer) => (text += chunk.toString()));
  return new Promise((resolve, reject) => {
    const poll = setInterval(() => {
      const match = /listening on 127\.0\.0\.1:(\d+); token ([0-9a-f]{32})/.exec(text);
      if (match) {
        clearInterval(poll);
        resolve({ child, port: Number(match[1]), token: match[2], stderr: () => text });
      }
    }, 10);
    child.once('exit', () => reject(new Error(`the server exited: ${text}`)));
  });
}

async function connect(server: Server, token: string | undefined): Promise<Session> {
  const dc = new DebugClient('node', ADAPTER, 'pwatch', undefined, true);
  await dc.start(server.port);
  const s = new Session(dc);
  const args = { adapterID: 'pwatch', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path', ...(token ? { pwatchToken: token } : {}) };
  await dc.initializeRequest(args as DebugProtocol.InitializeRequestArguments);
  return s;
}

/** Launches spin and returns its pid, from its own output. */
async function launchSpin(s: Session): Promise<number> {
  await Promise.all([
    s.dc.waitForEvent('initialized').then(() => s.dc.configurationDoneRequest()),
    s.dc.launchRequest({ program: program('spin'), args: ['60'] } as DebugProtocol.LaunchRequestArguments),
  ]);
  return Number(/spin: pid (\d+)/.exec(await s.waitForOutput('stdout', /spin: pid \d+/))![1]);
}

suite('the opt-in server', 'gdb', 3, () => {
  let server: Server;
  before(async () => {
    server = await startServer();
  });
  after(() => {
    server?.child.kill('SIGKILL');
  });

  it('refuses a TCP client without the token it printed, and serves one with it', async () => {
    for (const token of [undefined, '0'.repeat(32)]) {
      const dc = new DebugClient('node', ADAPTER, 'pwatch', undefined, true);
      await dc.start(server.port);
      await assert.rejects(dc.initializeRequest(), /needs the token it printed at start/, String(token));
      dc.stop().catch(() => undefined);
    }
    const s = await connect(server, server.token);
    assert.deepStrictEqual((await s.dc.threadsRequest()).body.threads, []);
    await s.dc.disconnectRequest({});
    await s.dc.stop();
    assert.match(server.stderr(), /refused a connection without the server token/);
  });

  it('two sessions in one process: detaching one never stalls the other, and its program runs on untraced', async () => {
    const a = await connect(server, server.token);
    const b = await connect(server, server.token);
    const pidA = await launchSpin(a);
    const pidB = await launchSpin(b);
    if (hardwareVerdict().run) {
      // A watch on A's busy counter: a copy of its event left anywhere would kill A's program with SIGTRAP.
      const info = await a.dc.dataBreakpointInfoRequest({ name: 'worker_ticks' });
      await a.dc.setDataBreakpointsRequest({ breakpoints: [{ dataId: info.body.dataId!, accessType: 'readWrite', condition: '0' }] });
    }
    // B is pinged with a request the adapter answers without gdb while A detaches; the worst answer time is
    // the longest the adapter's event loop was blocked (the old terminal holder's waitpid blocked it for good).
    let worst = 0;
    let pinging = true;
    const pings = (async () => {
      while (pinging) {
        const t0 = process.hrtime.bigint();
        await b.dc.scopesRequest({ frameId: 1 });
        worst = Math.max(worst, Number(process.hrtime.bigint() - t0) / 1e6);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    })();
    await a.dc.disconnectRequest({ terminateDebuggee: false });
    await holds(() => exists(pidA) && processStatus(pidA).state !== 'T', `A's program ${pidA} runs on`, 1000);
    pinging = false;
    await pings;
    assert.strictEqual(processStatus(pidA).tracerPid, 0, "A's program is untraced");
    assert.ok(worst < 100 * SLOWER, `B answered within ${worst.toFixed(1)} ms at worst while A detached`);
    assert.ok(exists(pidB) && processStatus(pidB).tracerPid > 0, "B's program is still debugged");
    await b.dc.disconnectRequest({ terminateDebuggee: true });
    await until(() => !exists(pidB), "B's program is gone");
    process.kill(pidA, 'SIGKILL');
    await Promise.all([a.dc.stop(), b.dc.stop()]).catch(() => undefined);
  });

  it('a Unix socket server is made for this user only', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pwatch-sock-'));
    const socket = path.join(dir, 'adapter.sock');
    const child = spawn(process.execPath, [ADAPTER, `--server=${socket}`], { stdio: ['ignore', 'ignore', 'pipe'] });
    try {
      await until(() => fs.existsSync(socket), 'the socket exists', 5000);
      assert.strictEqual(fs.statSync(socket).mode & 0o777, 0o600);
    } finally {
      child.kill('SIGKILL');
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
