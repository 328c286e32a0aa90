import * as assert from 'assert';
import { DebugClient } from '@vscode/debugadapter-testsupport';
import { DebugProtocol } from '@vscode/debugprotocol';
import * as fs from 'fs';
import { requireFiringWatchpoints } from '../machine';
import * as path from 'path';
import { startSleepers } from '../../bench/attach';
import { ADAPTER, program, ROOT, Session, startProgram, TIMEOUT, suite } from '../integration/harness';

const NOBODY = 65534;
const NOPERF = path.join(ROOT, 'test', 'fixtures', 'bin', 'noperf-node');
const FEWFDS = path.join(ROOT, 'test', 'fixtures', 'bin', 'fewfds-node');

suite('permissions', 'gdb', 3, () => {

  it('an unprivileged user attaching to a process it may not trace gets the cause and the fix', async function () {
    if (process.getuid?.() !== 0) {
      if (process.env.CI) {
        throw new Error('CI runs as root: this test needs it to start the adapter as another user');
      }
      console.log('    skipped: needs root to start the adapter as an unprivileged user');
      this.skip();
    }
    const { child: target } = await startProgram('spin', ['60'], /spin: pid \d+/);
    const dc = new DebugClient('node', ADAPTER, 'pwatch', { uid: NOBODY, gid: NOBODY, env: { PATH: process.env.PATH, HOME: '/' } });
    dc.defaultTimeout = TIMEOUT;
    try {
      await dc.start();
      await dc.initializeRequest();
      await assert.rejects(
        dc.attachRequest({ pid: target.pid } as DebugProtocol.AttachRequestArguments),
        new RegExp(`cannot attach to process ${target.pid}: the kernel refused ptrace.*another user.*CAP_SYS_PTRACE`),
      );
      // Observing asks the kernel the same question (no ptrace, but the same rule), and says so the same way.
      const observer = new DebugClient('node', ADAPTER, 'pwatch', { uid: NOBODY, gid: NOBODY, env: { PATH: process.env.PATH, HOME: '/' } });
      try {
        await observer.start();
        await observer.initializeRequest();
        await assert.rejects(
          observer.attachRequest({ pid: target.pid, mode: 'observe' } as DebugProtocol.AttachRequestArguments),
          new RegExp(`cannot observe process ${target.pid}: the kernel refused access to it \\((EACCES|EPERM).*process's user.*CAP_SYS_PTRACE`),
        );
      } finally {
        await observer.stop();
      }
      assert.ok(fs.existsSync(`/proc/${target.pid}`), 'the program was not harmed');
    } finally {
      target.kill('SIGKILL');
      await dc.stop();
    }
  });

  it('a kernel that refuses perf breakpoint events: data breakpoints say why, debugging goes on', async () => {
    assert.ok(fs.existsSync(NOPERF), `${NOPERF} is built by npm run build`);
    const s = new Session(new DebugClient(NOPERF, ADAPTER, 'pwatch', undefined, true));
    await s.start();
    try {
      await s.launchToStop({ program: program('threads'), args: ['2', '6'], stopAtEntry: true });
      const reason = /data breakpoints are unavailable: permission denied.*CAP_PERFMON.*seccomp/;
      await s.waitForOutput('console', reason);
      const info = await s.dc.dataBreakpointInfoRequest({ name: 'shared_counter' });
      const set = await s.dc.setDataBreakpointsRequest({ breakpoints: [{ dataId: info.body.dataId!, accessType: 'write' }] });
      assert.strictEqual(set.body.breakpoints[0].verified, false);
      assert.match(set.body.breakpoints[0].message ?? '', reason);
      const exited = s.dc.waitForEvent('exited') as Promise<DebugProtocol.ExitedEvent>;
      await s.dc.continueRequest({ threadId: 1 });
      assert.strictEqual((await exited).body.exitCode, 6, 'ordinary debugging is unaffected');
    } finally {
      await s.close();
    }
  });

  it('attaching to more threads than its open-file limit allows: the rest are missed with the reason, the adapter keeps working', async function () {
    requireFiringWatchpoints(this);
    const sleepers = await startSleepers(600);
    const target = sleepers.pid!;
    try {
      const s = new Session(new DebugClient(FEWFDS, ADAPTER, 'pwatch', { env: { ...process.env, PWATCH_TEST_NOFILE: '1024' } }, true));
      await s.start();
      try {
        await Promise.all([s.configure(), s.dc.attachRequest({ pid: target } as DebugProtocol.AttachRequestArguments)]);
        const [bp] = await s.watchGlobals({ name: 'bench_target' });
        const report = s.coverage.find((c) => c.id === bp.id)!;
        assert.strictEqual(report.total, 601, JSON.stringify(report).slice(0, 300));
        assert.ok(report.covered > 0 && report.covered < 601, `some threads covered, not all: ${report.covered}`);
        assert.strictEqual(report.missed.length, 601 - report.covered);
        assert.ok(report.missed.every((m) => m.errno === 24 && /open-file limit.*ulimit -Hn/.test(m.reason)), report.missed[0]?.reason);
        // Still able to work: list threads, evaluate, detach.
        assert.strictEqual((await s.dc.threadsRequest()).body.threads.length, 601);
        await s.dc.disconnectRequest({ terminateDebuggee: false });
        assert.ok(fs.existsSync(`/proc/${target}`), 'detached: the program runs on');
      } finally {
        await s.close();
      }
    } finally {
      sleepers.kill('SIGKILL');
    }
  });
});

