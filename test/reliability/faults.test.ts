import * as assert from 'assert';
import * as os from 'os';
import * as fs from 'fs';
import { DebugProtocol } from '@vscode/debugprotocol';
import { launchSpin, program, Session, startProgram, suite } from '../integration/harness';
import { adapterPid, childrenOf, exists, fdCount, holds, perfEventCount, until } from './processes';

suite('faults', 'watchpoints', 3, () => {

  it('adapter killed in launch mode: gdb and the program are gone', async () => {
    const s = await new Session().start();
    const adapter = adapterPid(s);
    const pid = await launchSpin(s);
    const children = childrenOf(adapter);
    assert.ok(children.length >= 1, 'gdb runs under the adapter');
    process.kill(adapter, 'SIGKILL');
    await until(() => ![...children, pid].some(exists), `gdb ${children} and program ${pid} are gone`);
    s.stopAdapter();
  });

  it('adapter killed in attach mode: the program keeps running and never traps', async () => {
    const { child, pid } = await startProgram('spin', ['60'], /spin: pid \d+/);
    const s = await new Session().start();
    try {
      await Promise.all([s.configure(), s.dc.attachRequest({ pid } as DebugProtocol.AttachRequestArguments)]);
      const stopped = s.dc.waitForEvent('stopped') as Promise<DebugProtocol.StoppedEvent>;
      await s.watchGlobals({ name: 'worker_ticks' });
      assert.strictEqual((await stopped).body.reason, 'data breakpoint');
      await s.dc.continueRequest({ threadId: 1 });
      const gdb = childrenOf(adapterPid(s));
      process.kill(adapterPid(s), 'SIGKILL');
      await until(() => !gdb.some(exists), 'gdb is gone');
      // worker_ticks is written every millisecond: a surviving event would kill the program with SIGTRAP.
      await holds(() => exists(pid), `program ${pid} stays alive`);
      assert.ok(exists(pid));
    } finally {
      child.kill('SIGKILL');
      s.stopAdapter();
    }
  });

  it('gdb killed: the adapter ends the session and says why', async () => {
    const s = await new Session().start();
    try {
      await launchSpin(s);
      const terminated = s.dc.waitForEvent('terminated', 10000);
      const gdb = childrenOf(adapterPid(s)).find((pid) => /gdb/.test(fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8')));
      assert.ok(gdb, 'found gdb');
      process.kill(gdb, 'SIGKILL');
      await terminated;
      assert.match(s.output('stderr'), /gdb was killed by SIGKILL unexpectedly; the session ends/);
      const threads = await s.dc.threadsRequest();
      assert.deepStrictEqual(threads.body.threads, [], 'the adapter still answers');
    } finally {
      await s.close();
    }
  });

  /**
   * Runs `body` in a session and checks afterwards that the adapter is back to the fds it had before
   * the launch, with no perf event left: nothing leaks whatever way the program ended.
   */
  async function leavesNothingBehind(body: (s: Session, adapter: number) => Promise<void>): Promise<void> {
    const s = await new Session().start();
    try {
      const adapter = adapterPid(s);
      await s.dc.initializeRequest();
      const baseline = fdCount(adapter);
      await body(s, adapter);
      await until(() => fdCount(adapter) === baseline, `the adapter is back to ${baseline} fds (has ${fdCount(adapter)})`);
      assert.strictEqual(perfEventCount(adapter), 0);
    } finally {
      await s.close();
    }
  }

  it('the program forks and execs with a watchpoint armed: clean events, no fd or perf event left', async () => {
    await leavesNothingBehind(async (s) => {
      const threadEvents: string[] = [];
      s.dc.on('thread', (e: DebugProtocol.ThreadEvent) => threadEvents.push(`${e.body.reason} ${e.body.threadId}`));
      await s.launchToStop({ program: program('forkexec'), stopAtEntry: true });
      await s.watchGlobals({ name: 'fe_value' });
      const exited = s.dc.waitForEvent('exited') as Promise<DebugProtocol.ExitedEvent>;
      const terminated = s.dc.waitForEvent('terminated');
      let stop: DebugProtocol.StoppedEvent | undefined = await s.continueToStop(1);
      while (stop?.body.reason === 'data breakpoint') {
        const next = s.dc.waitForEvent('stopped', 5000).catch(() => undefined) as Promise<DebugProtocol.StoppedEvent | undefined>;
        await s.dc.continueRequest({ threadId: stop.body.threadId! });
        stop = await Promise.race([next, exited.then(() => undefined)]);
      }
      assert.strictEqual((await exited).body.exitCode, 4);
      await terminated;
      assert.ok(threadEvents.every((e) => /^(started|exited) \d+$/.test(e)), threadEvents.join(', '));
    });
  });

  it('the program exits with watchpoints armed: exited, terminated, no fd or perf event left', async () => {
    await leavesNothingBehind(async (s, adapter) => {
      await s.launchToStop({ program: program('threads'), stopAtEntry: true });
      // Per CPU: 3 data breakpoint slot events and 1 data logpoint slot event, and each engine's ring buffer.
      assert.strictEqual(perfEventCount(adapter), (3 + 1 + 2) * os.cpus().length, 'the slots opened at the first instruction');
      await s.watchGlobals({ name: 'shared_counter' }, { name: 'global_config.origin.x', accessType: 'readWrite' });
      await s.dc.setDataBreakpointsRequest({ breakpoints: [] });
      const exited = s.dc.waitForEvent('exited');
      const terminated = s.dc.waitForEvent('terminated');
      await s.dc.continueRequest({ threadId: 1 });
      assert.strictEqual((await exited).body.exitCode, 0);
      await terminated;
    });
  });
});
