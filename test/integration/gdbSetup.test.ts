import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { DebugProtocol } from '@vscode/debugprotocol';
import { markerLine, program, sourceOf, suite, withSession, WORKSPACE } from './harness';

suite('gdb setup: setupCommands, sourceFileMap, signals', 'gdb', 3, () => {
  it('runs setup commands in order before the program, reports an ignored failure, and stops at a failing one', async () => {
    await withSession(async (s) => {
      const stopped = await s.launchToStop(
        {
          program: program('threads'),
          additionalSOLibSearchPath: '/opt/pwatch-libs; /opt/more libs',
          setupCommands: [
            { text: 'set $pwatch_mark = 41' },
            { text: 'no-such-command', description: 'a typo', ignoreFailures: true },
            { text: 'set $pwatch_mark = $pwatch_mark + 1' },
            // Before the program is loaded, gdb knows none of its types.
            { text: 'ptype struct worker_arg', ignoreFailures: true },
          ],
        },
        { [sourceOf('threads')]: [{ line: markerLine('threads', 'worker') }] },
      );
      const top = await s.topFrame(stopped.body.threadId!);
      assert.strictEqual((await s.dc.evaluateRequest({ expression: '$pwatch_mark', context: 'watch', frameId: top.id })).body.result, '42');
      assert.match(s.output('console'), /setup command "no-such-command" \(a typo\) failed: Undefined command: "no-such-command".*\(ignored\)/);
      assert.match(s.output('console'), /setup command "ptype struct worker_arg" failed: No struct type named worker_arg/);
      await s.dc.evaluateRequest({ expression: '-exec show solib-search-path', context: 'repl', frameId: top.id });
      await s.waitForOutput('console', /search path for loading non-absolute shared library symbol files is \/opt\/pwatch-libs:\/opt\/more libs\./);
    });
    await withSession(async (s) => {
      await s.dc.initializeRequest();
      await assert.rejects(
        s.dc.launch({ program: program('threads'), setupCommands: [{ text: 'handle SIGNOTHING nostop' }] } as DebugProtocol.LaunchRequestArguments),
        /setup command "handle SIGNOTHING nostop" failed: .*Fix it, or mark it "ignoreFailures": true/,
      );
    });
  });

  it('finds sources built elsewhere through sourceFileMap, for frames and for breakpoints set in the new place', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pwatch-moved-'));
    try {
      // Built as if in /build/elsewhere: the debug information names sources that do not exist here.
      const built = path.join(dir, 'threads');
      const cc = spawnSync('cc', ['-g', '-O0', '-pthread', `-fdebug-prefix-map=${WORKSPACE}=/build/elsewhere`, '-o', built, sourceOf('threads')], { encoding: 'utf8' });
      assert.strictEqual(cc.status, 0, cc.stderr);
      await withSession(async (s) => {
        const stopped = await s.launchToStop(
          { program: built, sourceFileMap: { '/build/elsewhere': WORKSPACE } },
          { [sourceOf('threads')]: [{ line: markerLine('threads', 'worker') }] },
        );
        assert.strictEqual(stopped.body.reason, 'breakpoint');
        const top = await s.topFrame(stopped.body.threadId!);
        assert.strictEqual(top.source?.path, sourceOf('threads'));
        assert.strictEqual(top.line, markerLine('threads', 'worker'));
      });
      await withSession(async (s) => {
        // Without the map the same breakpoint has no code to bind to: the map is what made it work.
        await Promise.all([s.configure(), s.dc.launch({ program: built, stopAtEntry: true } as DebugProtocol.LaunchRequestArguments)]);
        await s.dc.waitForEvent('stopped');
        const set = await s.dc.setBreakpointsRequest({ source: { path: sourceOf('threads') }, breakpoints: [{ line: markerLine('threads', 'worker') }] });
        assert.strictEqual(set.body.breakpoints[0].verified, false);
      });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  for (const [action, handled, stops] of [
    ['pass', 3, false],
    ['ignore', 0, false],
    ['stop', 3, true],
  ] as const) {
    it(`signals: SIGUSR1 "${action}" ${stops ? 'stops, then reaches the program' : handled ? 'reaches the program without a stop' : 'neither stops nor reaches the program'}`, async () => {
      await withSession(async (s) => {
        const line = markerLine('signals', 'signals-done');
        let stopped = await s.launchToStop({ program: program('signals'), signals: { SIGUSR1: action } }, { [sourceOf('signals')]: [{ line }] });
        let signalStops = 0;
        while (stopped.body.reason !== 'breakpoint') {
          assert.strictEqual(stopped.body.reason, 'signal');
          assert.match(stopped.body.description ?? '', /SIGUSR1/);
          signalStops++;
          stopped = await s.continueToStop(stopped.body.threadId!);
        }
        assert.strictEqual(signalStops, stops ? 3 : 0);
        const top = await s.topFrame(stopped.body.threadId!);
        assert.strictEqual((await s.dc.evaluateRequest({ expression: 'handled', context: 'watch', frameId: top.id })).body.result, String(handled));
      });
    });
  }

  it('a program ended by a signal it was passed reports that signal, not SIGKILL', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pwatch-passed-'));
    try {
      await withSession(async (s) => {
        const exited = s.dc.waitForEvent('exited') as Promise<DebugProtocol.ExitedEvent>;
        // crash dumps core in its cwd: a directory of its own.
        await Promise.all([s.configure(), s.dc.launch({ program: program('crash'), cwd: dir, signals: { SIGSEGV: 'pass' } } as DebugProtocol.LaunchRequestArguments)]);
        assert.strictEqual((await exited).body.exitCode, 139);
        await s.waitForOutput('console', /killed by SIGSEGV/);
      });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
