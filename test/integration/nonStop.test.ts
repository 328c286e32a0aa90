import * as assert from 'assert';
import { DebugProtocol } from '@vscode/debugprotocol';
import { markerLine, program, Session, sourceOf, until, withSession, suite } from './harness';

const MAIN_THREAD = 1;

/** Launches nonstop in stopMode "thread", stopped at entry (only main exists then). */
async function launchNonStop(s: Session, writes = 10): Promise<void> {
  const entry = await s.launchToStop({ program: program('nonstop'), args: [String(writes)], stopMode: 'thread', stopAtEntry: true });
  assert.strictEqual(entry.body.reason, 'entry');
}

async function progress(s: Session, frameId: number): Promise<number> {
  return Number((await s.dc.evaluateRequest({ expression: 'progress', frameId, context: 'watch' })).body.result);
}

/** Polls `progress` (read while the spinner runs) until it grows, within a bound: proves other threads run. */
async function progressGrows(s: Session, frameId: number): Promise<void> {
  const first = await progress(s, frameId);
  const deadline = Date.now() + 5000;
  while ((await progress(s, frameId)) <= first) {
    assert.ok(Date.now() < deadline, `progress stayed at ${first}: the other threads do not run`);
  }
}

suite('non-stop mode (stopMode "thread")', 'watchpoints', 3, () => {

  it('a data breakpoint stops only the writer; the spinner keeps counting; the writer steps and resumes alone', async () => {
    await withSession(async (s) => {
      await launchNonStop(s);
      const [bp] = await s.watchGlobals({ name: 'target_value' });
      const hit = await s.continueToStop(MAIN_THREAD);
      assert.strictEqual(hit.body.reason, 'data breakpoint');
      assert.strictEqual(hit.body.allThreadsStopped, false);
      assert.deepStrictEqual(hit.body.hitBreakpointIds, [bp.id]);
      assert.strictEqual(hit.body.text, 'target_value: 0 → 1');
      const writer = hit.body.threadId!;
      const frame = await s.topFrame(writer);
      assert.strictEqual(frame.name, 'writer');
      await progressGrows(s, frame.id);

      const threads = (await s.dc.threadsRequest()).body.threads;
      assert.ok(threads.length >= 3, 'main, spinner, writer (racers may be gone)');
      const running = threads.find((t) => t.id !== writer && t.id !== MAIN_THREAD)!;
      await assert.rejects(s.dc.stackTraceRequest({ threadId: running.id }), /is running: pause it to see its stack/);

      const stepped = s.dc.waitForEvent('stopped') as Promise<DebugProtocol.StoppedEvent>;
      await s.dc.nextRequest({ threadId: writer });
      const step = await stepped;
      assert.deepStrictEqual([step.body.reason, step.body.threadId, step.body.allThreadsStopped], ['step', writer, false]);
      await progressGrows(s, (await s.topFrame(writer)).id);

      const next = s.dc.waitForEvent('stopped') as Promise<DebugProtocol.StoppedEvent>;
      const resumed = await s.dc.continueRequest({ threadId: writer });
      assert.strictEqual(resumed.body.allThreadsContinued, false);
      const again = await next;
      assert.deepStrictEqual([again.body.reason, again.body.threadId, again.body.text], ['data breakpoint', writer, 'target_value: 1 → 2']);
    });
  });

  it('two threads trapping close together are each reported once', async () => {
    await withSession(async (s) => {
      await launchNonStop(s, 1);
      await s.watchGlobals({ name: 'pair_value' });
      const stops: DebugProtocol.StoppedEvent[] = [];
      s.dc.on('stopped', (e: DebugProtocol.StoppedEvent) => stops.push(e));
      const exited = s.dc.waitForEvent('exited');
      await s.dc.continueRequest({ threadId: MAIN_THREAD });
      // Resume each racer as it is reported; the program then runs to its end.
      let resumed = 0;
      while (resumed < 2) {
        if (stops.length > resumed) {
          await s.dc.continueRequest({ threadId: stops[resumed].body.threadId! });
          resumed++;
        } else {
          await s.dc.waitForEvent('stopped');
        }
      }
      await exited;
      assert.strictEqual(stops.length, 2, JSON.stringify(stops.map((e) => e.body)));
      assert.ok(stops.every((e) => e.body.reason === 'data breakpoint' && e.body.allThreadsStopped === false));
      assert.notStrictEqual(stops[0].body.threadId, stops[1].body.threadId, 'two different racers');
      // Each write is reported with the value it replaced, in the order the writes happened, whichever racer's
      // stop comes first (non-stop reports each thread at its own stop).
      assert.deepStrictEqual(stops.map((e) => e.body.text).sort(), ['pair_value: 0 → 1', 'pair_value: 1 → 2']);
    });
  });

  it('switches between a source breakpoint and a data breakpoint, then runs to the end', async () => {
    await withSession(async (s) => {
      await launchNonStop(s, 3);
      await s.dc.setBreakpointsRequest({ source: { path: sourceOf('nonstop') }, breakpoints: [{ line: markerLine('nonstop', 'ns-write') }] });
      const atLine = await s.continueToStop(MAIN_THREAD);
      assert.deepStrictEqual([atLine.body.reason, atLine.body.allThreadsStopped], ['breakpoint', false]);
      const writer = atLine.body.threadId!;
      await progressGrows(s, (await s.topFrame(writer)).id);
      await s.dc.setBreakpointsRequest({ source: { path: sourceOf('nonstop') }, breakpoints: [] });
      await s.watchGlobals({ name: 'target_value' });
      const write = await s.continueToStop(writer);
      assert.deepStrictEqual([write.body.reason, write.body.threadId, write.body.text], ['data breakpoint', writer, 'target_value: 0 → 1']);
      await s.dc.setDataBreakpointsRequest({ breakpoints: [] });
      const exited = s.dc.waitForEvent('exited') as Promise<DebugProtocol.ExitedEvent>;
      await s.dc.continueRequest({ threadId: writer });
      assert.strictEqual((await exited).body.exitCode, 0);
      await s.waitForOutput('stdout', /target_value 3, pair_value 2/);
    });
  });

  it('pauses one thread, then all of them', async () => {
    await withSession(async (s) => {
      await launchNonStop(s, 200);
      await s.dc.setBreakpointsRequest({ source: { path: sourceOf('nonstop') }, breakpoints: [{ line: markerLine('nonstop', 'ns-spin') }] });
      const spin = await s.continueToStop(MAIN_THREAD);
      const spinner = spin.body.threadId!;
      await s.dc.setBreakpointsRequest({ source: { path: sourceOf('nonstop') }, breakpoints: [] });
      await s.dc.continueRequest({ threadId: spinner });
      const paused = s.dc.waitForEvent('stopped') as Promise<DebugProtocol.StoppedEvent>;
      await s.dc.pauseRequest({ threadId: spinner });
      const one = await paused;
      assert.deepStrictEqual([one.body.reason, one.body.threadId, one.body.allThreadsStopped], ['pause', spinner, false]);
      // A racer may end meanwhile (it only meets the other at a barrier): it is told exited, not paused.
      const exited = new Set<number>();
      s.dc.on('thread', (e: DebugProtocol.ThreadEvent) => e.body.reason === 'exited' && exited.add(e.body.threadId));
      const before = (await s.dc.threadsRequest()).body.threads.map((t) => t.id).filter((id) => id !== spinner);
      const stopped = new Set<number>();
      s.dc.on('stopped', (e: DebugProtocol.StoppedEvent) => e.body.reason === 'pause' && stopped.add(e.body.threadId!));
      await s.dc.customRequest('pwatch/pauseAll');
      await until(() => before.every((id) => stopped.has(id) || exited.has(id)), 'every other thread is paused or has ended');
      assert.ok(stopped.has(MAIN_THREAD), 'main (joining) is paused');
      for (const id of [spinner, ...before.filter((id) => !exited.has(id))]) {
        assert.ok((await s.dc.stackTraceRequest({ threadId: id })).body.stackFrames.length > 0, `thread ${id} is stopped and readable`);
      }
    });
  });
});
