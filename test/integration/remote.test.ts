import * as assert from 'assert';
import { ChildProcess, spawn, spawnSync } from 'child_process';
import { DebugProtocol } from '@vscode/debugprotocol';
import { markerLine, processAlive, program, Session, sourceOf, suite, until, withSession } from './harness';

/** A gdbserver on 127.0.0.1 running `name`, on a port it picks (it prints "Listening on port N"). */
async function startGdbserver(name: string, args: string[], wrapper: string[] = []): Promise<{ server: ChildProcess; port: number }> {
  const command = [...wrapper, 'gdbserver', '127.0.0.1:0', program(name), ...args];
  const server = spawn(command[0], command.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] });
  let said = '';
  const port = await new Promise<number>((resolve, reject) => {
    const listen = (chunk: Buffer) => {
      said += chunk.toString();
      const match = /Listening on port (\d+)/.exec(said);
      if (match) {
        resolve(Number(match[1]));
      }
    };
    server.stdout!.on('data', listen);
    server.stderr!.on('data', listen);
    server.once('exit', (code) => reject(new Error(`gdbserver exited (${code}): ${said}`)));
  });
  return { server, port };
}

async function stopAtWorker(s: Session, target: string): Promise<DebugProtocol.StoppedEvent> {
  const stopped = s.dc.waitForEvent('stopped') as Promise<DebugProtocol.StoppedEvent>;
  const configure = s.configure({ [sourceOf('threads')]: [{ line: markerLine('threads', 'worker') }] });
  await Promise.all([configure, s.dc.attachRequest({ target, program: program('threads') } as DebugProtocol.AttachRequestArguments)]);
  return stopped;
}

suite('gdbserver targets', 'gdb', 3, () => {
  before(function () {
    if (spawnSync('gdbserver', ['--version']).status !== 0) {
      if (process.env.CI === 'true') {
        throw new Error('gdbserver is not installed (.ci/run installs it)');
      }
      console.log('      SKIPPED: gdbserver is not installed (apt install gdbserver)');
      this.skip();
    }
  });

  it('debugs a program behind a gdbserver on 127.0.0.1: breakpoints, threads with their tids, values, detach', async () => {
    const { server, port } = await startGdbserver('threads', ['2']);
    try {
      await withSession(async (s) => {
        const stopped = await stopAtWorker(s, `127.0.0.1:${port}`);
        assert.strictEqual(stopped.body.reason, 'breakpoint');
        const top = await s.topFrame(stopped.body.threadId!);
        assert.strictEqual(top.name, 'worker');
        const threads = (await s.dc.threadsRequest()).body.threads;
        assert.ok(threads.length >= 2 && threads.every((t) => /tid \d+/.test(t.name)), JSON.stringify(threads));
        const arg = await s.dc.evaluateRequest({ expression: 'arg->index', context: 'watch', frameId: top.id });
        assert.match(arg.body.result, /^[01]$/);
        assert.match(s.output('console'), /gdbserver's process \d+ is on this machine: data breakpoints come from pwatch's engine/);
        const libc = ((await s.dc.customRequest('modules', {})) as DebugProtocol.ModulesResponse).body.modules.find((m) => /^libc\.so/.test(m.name));
        assert.ok(libc?.path?.startsWith('/'), `libraries by their path here, not target:...: ${libc?.path}`);
        await s.dc.setBreakpointsRequest({ source: { path: sourceOf('threads') }, breakpoints: [] });
      });
      // Detached: gdbserver ends and the program runs to its end on its own.
      await until(() => server.exitCode !== null, 'gdbserver ends after the detach');
    } finally {
      server.kill('SIGKILL');
    }
  });

  it('lists threads while the remote program runs (gdb refuses -thread-info then), so Pause works', async () => {
    const { server, port } = await startGdbserver('spin', ['60']);
    try {
      await withSession(async (s) => {
        await Promise.all([s.configure(), s.dc.attachRequest({ target: `127.0.0.1:${port}`, program: program('spin') } as DebugProtocol.AttachRequestArguments)]);
        await s.waitForOutput('console', /gdbserver's process/);
        const threads = (await s.dc.threadsRequest()).body.threads;
        assert.ok(threads.length >= 1, JSON.stringify(threads));
        const paused = s.dc.waitForEvent('stopped') as Promise<DebugProtocol.StoppedEvent>;
        await s.dc.pauseRequest({ threadId: threads[0].id });
        assert.strictEqual((await paused).body.reason, 'pause');
      });
    } finally {
      server.kill('SIGKILL');
    }
  });

  it('starts a gdbserver through a pipe ("| command")', async () => {
    await withSession(async (s) => {
      const stopped = await stopAtWorker(s, `| gdbserver - ${program('threads')} 2`);
      assert.strictEqual((await s.topFrame(stopped.body.threadId!)).name, 'worker');
    });
  });

  it('a gdbserver whose process is not one of this machine (another pid namespace): data breakpoints are refused, debugging works', async function () {
    if (spawnSync('unshare', ['--pid', '--fork', '--mount-proc', 'true']).status !== 0) {
      if (process.env.CI === 'true') {
        throw new Error('unshare --pid needs root (CI runs as root)');
      }
      console.log('      SKIPPED: cannot make a pid namespace here (unshare needs root)');
      this.skip();
    }
    // Inside its namespace the program is pid 2 or so: here that number is another process, or none.
    const { server, port } = await startGdbserver('threads', ['2'], ['unshare', '--pid', '--fork', '--mount-proc']);
    try {
      await withSession(async (s) => {
        const stopped = await stopAtWorker(s, `127.0.0.1:${port}`);
        assert.match(s.output('console'), /gdbserver's process \(pid \d+ there\) is not a process of this machine: data breakpoints are off/);
        const info = await s.dc.dataBreakpointInfoRequest({ name: 'shared_counter' });
        assert.strictEqual(info.body.dataId, null);
        assert.match(info.body.description, /runs behind the gdbserver at 127\.0\.0\.1:\d+ .*not as a process of this machine/);
        assert.strictEqual((await s.topFrame(stopped.body.threadId!)).name, 'worker');
        const threads = (await s.dc.threadsRequest()).body.threads;
        assert.ok(threads.length >= 2, JSON.stringify(threads));
        await s.dc.disconnectRequest({ terminateDebuggee: true });
      });
      await until(() => server.exitCode !== null || !processAlive(server.pid!), 'gdbserver ends with its program killed');
    } finally {
      server.kill('SIGKILL');
    }
  });
});
