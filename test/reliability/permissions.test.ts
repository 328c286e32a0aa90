import * as assert from 'assert';
import { DebugClient } from '@vscode/debugadapter-testsupport';
import { DebugProtocol } from '@vscode/debugprotocol';
import * as fs from 'fs';
import * as path from 'path';
import { ADAPTER, program, ROOT, Session, startProgram, TIMEOUT, suite } from '../integration/harness';

const NOBODY = 65534;
const NOPERF = path.join(ROOT, 'test', 'fixtures', 'bin', 'noperf-node');

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
});
