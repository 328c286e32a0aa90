import * as assert from 'assert';
import { DebugProtocol } from '@vscode/debugprotocol';
import { firstEvent, holds, markerLine, processAlive, processStatus, program, sourceOf, startProgram, suite, until, withSession } from './harness';

suite('run control', 'gdb', 3, () => {

  it('steps over, into and out of a function', async () => {
    await withSession(async (s) => {
      const stopped = await s.launchToStop({ program: program('threads') }, { [sourceOf('threads')]: [{ line: markerLine('threads', 'main-config') }] });
      const threadId = stopped.body.threadId!;
      const step = async (request: () => Promise<unknown>): Promise<DebugProtocol.StackFrame> => {
        const next = s.dc.waitForEvent('stopped') as Promise<DebugProtocol.StoppedEvent>;
        await request();
        assert.strictEqual((await next).body.reason, 'step');
        return s.topFrame(threadId);
      };
      let frame = await step(() => s.dc.nextRequest({ threadId }));
      assert.deepStrictEqual([frame.name, frame.line], ['main', markerLine('threads', 'main-add')]);
      frame = await step(() => s.dc.stepInRequest({ threadId }));
      assert.deepStrictEqual([frame.name, frame.line], ['add', markerLine('threads', 'add')]);
      frame = await step(() => s.dc.stepOutRequest({ threadId }));
      assert.strictEqual(frame.name, 'main');
      assert.strictEqual(frame.line, markerLine('threads', 'main-add'));
    });
  });

  it('pauses a running program and continues it', async () => {
    await withSession(async (s) => {
      await Promise.all([s.configure(), s.dc.launch({ program: program('spin'), args: ['60'] })]);
      await s.waitForOutput('stdout', /spin: pid \d+/);
      const paused = s.dc.waitForEvent('stopped') as Promise<DebugProtocol.StoppedEvent>;
      await s.dc.pauseRequest({ threadId: 1 });
      const event = await paused;
      assert.strictEqual(event.body.reason, 'pause');
      assert.strictEqual(event.body.allThreadsStopped, true);
      const ticks = async () => Number((await s.dc.evaluateRequest({ expression: 'main_ticks', context: 'watch' })).body.result);
      const before = await ticks();
      assert.strictEqual(await ticks(), before, 'nothing runs while paused');
      // Continue, then pause again: the program made progress in between.
      await s.dc.continueRequest({ threadId: event.body.threadId! });
      await s.dc.setBreakpointsRequest({ source: { path: sourceOf('spin') }, breakpoints: [{ line: markerLine('spin', 'spin-main') }] });
      const hit = (await s.dc.waitForEvent('stopped')) as DebugProtocol.StoppedEvent;
      assert.strictEqual(hit.body.reason, 'breakpoint');
      assert.ok((await ticks()) > before, 'main_ticks grew after continue');
    });
  });

  it('sends continued when gdb resumes without a DAP request (a -exec command)', async () => {
    await withSession(async (s) => {
      const stopped = await s.launchToStop({ program: program('threads') }, { [sourceOf('threads')]: [{ line: markerLine('threads', 'main-config') }] });
      const continued = s.dc.waitForEvent('continued') as Promise<DebugProtocol.ContinuedEvent>;
      const next = s.dc.waitForEvent('stopped') as Promise<DebugProtocol.StoppedEvent>;
      await s.dc.evaluateRequest({ expression: '-exec next', context: 'repl' });
      assert.strictEqual((await continued).body.allThreadsContinued, true);
      assert.strictEqual((await next).body.reason, 'step');
      assert.strictEqual((await s.topFrame(stopped.body.threadId!)).line, markerLine('threads', 'main-add'));
    });
  });

  it('-exec continue runs the program in the background: gdb keeps answering, Pause and -exec interrupt stop it; -exec kill is refused', async () => {
    await withSession(async (s) => {
      const stopped = await s.launchToStop({ program: program('spin'), args: ['60'] }, { [sourceOf('spin')]: [{ line: markerLine('spin', 'spin-main') }] });
      await s.dc.setBreakpointsRequest({ source: { path: sourceOf('spin') }, breakpoints: [] });
      const continued = s.dc.waitForEvent('continued');
      await s.dc.evaluateRequest({ expression: '-exec continue', context: 'repl' });
      await continued;
      // gdb in the foreground would read no command until a stop: these would wait for ever.
      assert.ok((await s.dc.threadsRequest()).body.threads.length >= 1);
      const paused = s.dc.waitForEvent('stopped') as Promise<DebugProtocol.StoppedEvent>;
      await s.dc.pauseRequest({ threadId: stopped.body.threadId! });
      assert.strictEqual((await paused).body.reason, 'pause');
      // gdb's own interrupt typed in the console (a SIGINT from gdb) is a pause the user asked for, shown as one.
      await s.dc.evaluateRequest({ expression: '-exec continue', context: 'repl' });
      const interrupted = s.dc.waitForEvent('stopped') as Promise<DebugProtocol.StoppedEvent>;
      await s.dc.evaluateRequest({ expression: '-exec interrupt', context: 'repl' });
      assert.strictEqual((await interrupted).body.reason, 'pause');
      await assert.rejects(s.dc.evaluateRequest({ expression: '-exec kill', context: 'repl' }), /'kill' starts, ends or replaces the program behind pwatch's back.*use Stop on the debug toolbar/);
    });
  });

  it("an interrupt that a breakpoint's stop overtook: its late SIGINT stops nothing and never reaches the program", async () => {
    await withSession(async (s) => {
      const line = markerLine('lateint', 'lateint-pending');
      await Promise.all([s.configure({ [sourceOf('lateint')]: [{ line }] }), s.dc.launch({ program: program('lateint'), console: 'internalConsole' })]);
      await s.waitForOutput('stdout', /lateint: waiting/);
      // gdb's interrupt (typed here; pwatch sends the same for accesses whose stop is late) is a SIGINT to the
      // process. The program has it blocked, sees it pending and goes on to the breakpoint: that stop comes first,
      // and the SIGINT arrives when the program unblocks it after the next resume.
      const stopped = s.dc.waitForEvent('stopped') as Promise<DebugProtocol.StoppedEvent>;
      await s.dc.evaluateRequest({ expression: '-exec interrupt', context: 'repl' });
      const stop = await stopped;
      assert.strictEqual(stop.body.reason, 'breakpoint', JSON.stringify(stop.body));
      assert.strictEqual((await s.topFrame(stop.body.threadId!)).line, line);
      const ended = firstEvent(s.dc, ['stopped', 'exited']);
      await s.dc.continueRequest({ threadId: stop.body.threadId! });
      const end = await ended;
      assert.strictEqual(end.event, 'exited', `no stop after the breakpoint: ${JSON.stringify(end.body)}`);
      assert.strictEqual((end as DebugProtocol.ExitedEvent).body.exitCode, 0, 'the program was not interrupted');
      await s.waitForOutput('stdout', /lateint: done/);
    });
  });

  it('pauses a program whose signal thread waits for SIGINT in sigwait, and the program never takes the pause as its Ctrl-C', async () => {
    await withSession(async (s) => {
      await Promise.all([s.configure(), s.dc.launch({ program: program('sigwaiter'), console: 'internalConsole' })]);
      await s.waitForOutput('stdout', /sigwaiter: running/);
      for (let round = 1; round <= 2; round++) {
        const next = firstEvent(s.dc, ['stopped', 'exited']);
        await s.dc.pauseRequest({ threadId: 1 });
        const stop = await next;
        assert.strictEqual(stop.event, 'stopped', `pause ${round} stopped the program: ${JSON.stringify(stop.body)}`);
        assert.strictEqual((stop as DebugProtocol.StoppedEvent).body.reason, 'pause', JSON.stringify(stop.body));
        await s.dc.continueRequest({ threadId: 1 });
      }
      assert.doesNotMatch(s.output('stdout'), /shutting down/);
    });
  });

  it('detaching from such a program (attached while it runs) leaves it running, neither shut down nor stopped', async () => {
    const { child, pid } = await startProgram('sigwaiter', [], /sigwaiter: running/);
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    try {
      await withSession(async (s) => {
        await Promise.all([s.configure(), s.dc.attachRequest({ pid } as DebugProtocol.AttachRequestArguments)]);
        await until(() => processStatus(pid).tracerPid > 0, 'gdb traces the program');
        // The program runs: detaching must stop it first, with an interrupt its signal thread cannot take.
        await s.dc.disconnectRequest({});
      });
      await holds(() => processAlive(pid), 'the program is alive after detach');
      const status = processStatus(pid);
      assert.strictEqual(status.tracerPid, 0);
      assert.ok(status.state === 'S' || status.state === 'R', `state ${status.state} (T: a SIGSTOP reached it)`);
      assert.doesNotMatch(output, /shutting down/);
    } finally {
      child.kill('SIGKILL');
    }
  });

  it("a step right after a pause that a breakpoint overtook goes to the next line: the late interrupt never cuts it short", async () => {
    await withSession(async (s) => {
      const line = markerLine('spin', 'spin-worker');
      let stop = await s.launchToStop({ program: program('spin'), args: ['60'] }, { [sourceOf('spin')]: [{ line }] });
      let overtaken = 0;
      for (let round = 1; round <= 20; round++) {
        // The worker hits the breakpoint every millisecond: the pause sent at once is usually overtaken by it.
        const next = firstEvent(s.dc, ['stopped', 'exited']);
        await s.dc.continueRequest({ threadId: stop.body.threadId! });
        await s.dc.pauseRequest({ threadId: 1 });
        stop = (await next) as DebugProtocol.StoppedEvent;
        assert.strictEqual(stop.event, 'stopped', JSON.stringify(stop.body));
        if (stop.body.reason !== 'breakpoint') {
          continue;
        }
        overtaken++;
        const stepped = firstEvent(s.dc, ['stopped', 'exited']);
        await s.dc.nextRequest({ threadId: stop.body.threadId! });
        stop = (await stepped) as DebugProtocol.StoppedEvent;
        const frame = await s.topFrame(stop.body.threadId!);
        assert.deepStrictEqual([stop.body.reason, frame.line], ['step', line + 1], `round ${round}: ${JSON.stringify(stop.body)} at ${frame.name}:${frame.line}`);
      }
      assert.ok(overtaken > 0, 'no pause was overtaken by the breakpoint in 20 rounds');
    });
  });

  it('continues from a breakpoint to the exit code', async () => {
    await withSession(async (s) => {
      const stopped = await s.launchToStop({ program: program('threads'), args: ['2', '5'] }, { [sourceOf('threads')]: [{ line: markerLine('threads', 'main-exit') }] });
      const exited = s.dc.waitForEvent('exited');
      const terminated = s.dc.waitForEvent('terminated');
      await s.dc.continueRequest({ threadId: stopped.body.threadId! });
      assert.strictEqual((await exited).body.exitCode, 5);
      await terminated;
    });
  });

  it('reports a crash as an exception with the signal', async () => {
    await withSession(async (s) => {
      const stopped = await s.launchToStop({ program: program('threads') }, { [sourceOf('threads')]: [{ line: markerLine('threads', 'main-add') }] });
      const frame = await s.topFrame(stopped.body.threadId!);
      await s.dc.evaluateRequest({ expression: 'heap_buffer = (unsigned char *)8', frameId: frame.id, context: 'repl' });
      await s.dc.setBreakpointsRequest({ source: { path: sourceOf('threads') }, breakpoints: [] });
      // heap_buffer is reassigned by calloc, so make the workers crash instead: point them at NULL later.
      await s.dc.setBreakpointsRequest({ source: { path: sourceOf('threads') }, breakpoints: [{ line: markerLine('threads', 'worker') }] });
      const atWorker = s.dc.waitForEvent('stopped') as Promise<DebugProtocol.StoppedEvent>;
      await s.dc.continueRequest({ threadId: stopped.body.threadId! });
      const worker = await atWorker;
      const workerFrame = await s.topFrame(worker.body.threadId!);
      await s.dc.evaluateRequest({ expression: 'heap_buffer = 0', frameId: workerFrame.id, context: 'repl' });
      await s.dc.setBreakpointsRequest({ source: { path: sourceOf('threads') }, breakpoints: [] });
      const crash = s.dc.waitForEvent('stopped') as Promise<DebugProtocol.StoppedEvent>;
      await s.dc.continueRequest({ threadId: worker.body.threadId! });
      const event = await crash;
      assert.strictEqual(event.body.reason, 'exception');
      assert.match(event.body.description ?? '', /SIGSEGV/);
    });
  });
});
