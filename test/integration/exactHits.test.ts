/**
 * Exact data breakpoints: every trapped access accounted for, in the thread that made it, with the value it
 * wrote and the line that wrote it; writes made inside gdb's single steps; values with their types; the
 * program's own hardware breakpoint left working; no gdb notice of pwatch's own traps in the Debug Console.
 */
import * as assert from 'assert';
import { DebugProtocol } from '@vscode/debugprotocol';
import { firstEvent, markerLine, program, Session, sourceOf, suite, TIMEOUT, withSession } from './harness';

const MAIN_THREAD = 1;

/** The kernel tid of each DAP thread, from the threads request ("name (tid N)"). */
async function tidsOf(s: Session): Promise<Map<number, number>> {
  const threads = (await s.dc.threadsRequest()).body.threads;
  return new Map(threads.map((t) => [t.id, Number(/\(tid (\d+)\)/.exec(t.name)?.[1])]));
}

/** Continues the main thread until the program exits, returning the texts of the data breakpoint stops on the way. */
async function dataStopsToExit(s: Session): Promise<string[]> {
  const texts: string[] = [];
  let stop: DebugProtocol.StoppedEvent | undefined = await s.continueToStop(MAIN_THREAD);
  while (stop?.body.reason === 'data breakpoint' && texts.length < 20) {
    texts.push(stop.body.text ?? '');
    const next = firstEvent(s.dc, ['stopped', 'exited'], 3 * TIMEOUT);
    await s.dc.continueRequest({ threadId: MAIN_THREAD });
    const event = await next;
    stop = event.event === 'stopped' ? (event as DebugProtocol.StoppedEvent) : undefined;
  }
  return texts;
}

/** Runs racers to its end, continuing every data breakpoint stop; returns the stops in order. */
async function runRacers(s: Session, threads: number, rounds: number, stopMode: 'all' | 'thread'): Promise<Array<{ stop: DebugProtocol.StoppedEvent; tid: number }>> {
  await s.launchToStop({ program: program('racers'), args: [String(threads), String(rounds)], stopAtEntry: true, stopMode, console: 'internalConsole' });
  const [bp] = await s.watchGlobals({ name: 'race_target' });
  assert.strictEqual(bp.verified, true, bp.message);
  const stops: Array<{ stop: DebugProtocol.StoppedEvent; tid: number }> = [];
  const queue: DebugProtocol.StoppedEvent[] = [];
  let exit: DebugProtocol.ExitedEvent | undefined;
  s.dc.on('stopped', (e: DebugProtocol.StoppedEvent) => queue.push(e));
  s.dc.on('exited', (e: DebugProtocol.ExitedEvent) => (exit = e));
  await s.dc.continueRequest({ threadId: MAIN_THREAD });
  while (exit === undefined) {
    const stop = queue.shift();
    if (!stop) {
      await firstEvent(s.dc, ['stopped', 'exited'], 3 * TIMEOUT);
      continue;
    }
    assert.strictEqual(stop.body.reason, 'data breakpoint', JSON.stringify(stop.body));
    const tids = await tidsOf(s);
    stops.push({ stop, tid: tids.get(stop.body.threadId!)! });
    await s.dc.continueRequest({ threadId: stop.body.threadId! });
  }
  assert.strictEqual(exit.body.exitCode, 0);
  return stops;
}

/** Every write reported once, by the thread that wrote it, with the value it wrote, at the line that wrote it. */
function checkRacers(s: Session, stops: Array<{ stop: DebugProtocol.StoppedEvent; tid: number }>, threads: number, rounds: number): void {
  const written = stops.map(({ stop }) => Number(/ → (\d+)/.exec(stop.body.text ?? '')?.[1]));
  assert.strictEqual(stops.length, threads * rounds, `stops: ${JSON.stringify(stops.map(({ stop }) => stop.body.text))}`);
  assert.strictEqual(new Set(written).size, threads * rounds, 'each write reported once');
  stops.forEach(({ stop, tid }, i) => {
    assert.strictEqual(Math.floor(written[i] / 1e6), tid, `stop ${i} (${stop.body.text}) shows thread ${stop.body.threadId} (tid ${tid}) with another thread's value`);
  });
  const writeLine = markerLine('racers', 'racers-write');
  assert.ok(
    s.hits.length === stops.length && s.hits.every((h) => h.line === writeLine && h.file === sourceOf('racers') && !h.valueNow),
    `hits at the writing line with the written value: ${JSON.stringify(s.hits.slice(0, 3))}`,
  );
  // Reported in the order they happened: each old value is the value the write before it left.
  for (let i = 1; i < s.hits.length; i++) {
    assert.strictEqual(s.hits[i].old, s.hits[i - 1].new, `hit ${i}: ${JSON.stringify(s.hits.slice(i - 1, i + 1))}`);
  }
  assert.doesNotMatch(s.output('console'), /received signal SIGTRAP/, 'no gdb notice of pwatch traps');
}

suite('exact data breakpoints', 'watchpoints', 12, () => {
  it('racing writers (4 x 20, all-stop): every write stops in its thread with the value it wrote', async () => {
    await withSession(async (s) => checkRacers(s, await runRacers(s, 4, 20, 'all'), 4, 20));
  });

  it('racing writers (4 x 20, non-stop): every write stops in its thread with the value it wrote', async () => {
    await withSession(async (s) => {
      const stops = await runRacers(s, 4, 20, 'thread');
      assert.ok(stops.every(({ stop }) => stop.body.allThreadsStopped === false));
      // Non-stop judges each thread at its own stop: the count and the attribution are exact, the order across
      // threads is the order of the stops.
      const written = stops.map(({ stop }) => Number(/ → (\d+)/.exec(stop.body.text ?? '')?.[1]));
      assert.strictEqual(stops.length, 80, JSON.stringify(stops.map(({ stop }) => stop.body.text)));
      assert.strictEqual(new Set(written).size, 80);
      stops.forEach(({ tid }, i) => assert.strictEqual(Math.floor(written[i] / 1e6), tid, `stop ${i}`));
      // The old values follow the order of the writes, not of the stops: together they are one chain, each
      // write's old value the value of exactly one other write (or the initial 0), the last write's old of none.
      const olds = s.hits.map((h) => Number(h.old)).sort((a, b) => a - b);
      const chain = [0, ...written].sort((a, b) => a - b);
      const missing = chain.filter((value) => !olds.includes(value));
      assert.ok(new Set(olds).size === 80 && missing.length === 1 && olds.every((o) => chain.includes(o)), `old values: ${JSON.stringify(s.hits.slice(0, 6))}`);
    });
  });

  it('next over a write stops as a data breakpoint at the writing line; a same-value write does not stop', async () => {
    await withSession(async (s) => {
      const at = await s.launchToStop({ program: program('steps') }, { [sourceOf('steps')]: [{ line: markerLine('steps', 'steps-write') }] });
      assert.strictEqual(at.body.reason, 'breakpoint');
      await s.watchGlobals({ name: 'g' });
      const stepped = s.dc.waitForEvent('stopped') as Promise<DebugProtocol.StoppedEvent>;
      await s.dc.nextRequest({ threadId: MAIN_THREAD });
      const hit = await stepped;
      assert.strictEqual(hit.body.reason, 'data breakpoint', JSON.stringify(hit.body));
      assert.strictEqual(hit.body.text, 'g: 1 → 2');
      assert.match(hit.body.description ?? '', /made during the step/);
      assert.strictEqual(s.hits[0].line, markerLine('steps', 'steps-write'), 'the line that wrote, not the next one');
      const third = await s.continueToStop(MAIN_THREAD);
      assert.strictEqual(third.body.text, 'g: 2 → 3', 'the write of the same value 2 did not stop');
      assert.strictEqual(s.hits[1].line, markerLine('steps', 'steps-third'));
    });
  });

  it('resuming from a breakpoint on a writing line reports the write made while gdb stepped over the breakpoint', async () => {
    await withSession(async (s) => {
      await s.launchToStop({ program: program('steps') }, { [sourceOf('steps')]: [{ line: markerLine('steps', 'steps-write') }] });
      await s.watchGlobals({ name: 'g' });
      const hit = await s.continueToStop(MAIN_THREAD);
      assert.strictEqual(hit.body.reason, 'data breakpoint', JSON.stringify(hit.body));
      assert.strictEqual(hit.body.text, 'g: 1 → 2');
      assert.strictEqual(s.hits[0].line, markerLine('steps', 'steps-write'));
      const next = await s.continueToStop(MAIN_THREAD);
      assert.strictEqual(next.body.text, 'g: 2 → 3');
    });
  });

  it('shows values with their types: float, pointer, char, bool', async () => {
    await withSession(async (s) => {
      // Four watches: all four debug registers for data breakpoints.
      await s.launchToStop({ program: program('steps'), watchSlots: 4, logpointSlots: 0 }, { [sourceOf('steps')]: [{ line: markerLine('steps', 'steps-float') }] });
      const armed = await s.watchGlobals({ name: 'ratio' }, { name: 'current' }, { name: 'grade' }, { name: 'done' });
      assert.ok(armed.every((b) => b.verified), JSON.stringify(armed));
      const texts: string[] = [];
      for (let i = 0; i < 4; i++) {
        texts.push((await s.continueToStop(MAIN_THREAD)).body.text ?? '');
      }
      assert.strictEqual(texts[0], 'ratio: 1 → 0.5');
      assert.match(texts[1], /^current: \(struct job \*\) 0x0 → \(struct job \*\) 0x[0-9a-f]+$/);
      const address = await s.dc.evaluateRequest({ expression: '&jobs[1]', context: 'watch' });
      assert.ok(address.body.result.includes(/0x[0-9a-f]+$/.exec(texts[1])![0]), `${texts[1]} vs ${address.body.result}`);
      assert.strictEqual(texts[2], "grade: 67 'C' → 65 'A'");
      assert.strictEqual(texts[3], 'done: false → true');
    });
  });

  it("leaves the program's own hardware breakpoint working: its 5 traps reach its handler beside pwatch's", async () => {
    await withSession(async (s) => {
      const exited = s.dc.waitForEvent('exited', 3 * TIMEOUT) as Promise<DebugProtocol.ExitedEvent>;
      await s.launchToStop(
        { program: program('selftrap'), watchSlots: 2, logpointSlots: 1, console: 'internalConsole' },
        { [sourceOf('selftrap')]: [{ line: markerLine('selftrap', 'selftrap-armed') }] },
      );
      await s.watchGlobals({ name: 'shared' });
      const texts = await dataStopsToExit(s);
      assert.deepStrictEqual(texts, ['shared: 0 → 1', 'shared: 1 → 3', 'shared: 3 → 5']);
      const end = await exited;
      await s.waitForOutput('stdout', /own traps/);
      assert.match(s.output('stdout'), /5 of 5 own traps, 0 others/);
      assert.strictEqual(end.body.exitCode, 0);
    });
  });

  it('a static after a large static array is a global (by name), watched in every writing thread', async () => {
    await withSession(async (s) => {
      const at = await s.launchToStop({ program: program('bsstail'), console: 'internalConsole' }, { [sourceOf('bsstail')]: [{ line: markerLine('bsstail', 'bsstail-start') }] });
      const frame = await s.topFrame(at.body.threadId!);
      const info = await s.dc.dataBreakpointInfoRequest({ name: 'tail_counter', frameId: frame.id });
      assert.strictEqual(info.body.canPersist, true, `a global's id, by name: ${JSON.stringify(info.body)}`);
      const [bp] = (await s.dc.setDataBreakpointsRequest({ breakpoints: [{ dataId: info.body.dataId!, accessType: 'write' }] })).body.breakpoints;
      assert.strictEqual(bp.verified, true, bp.message);
      const writers = new Set<number>();
      const texts: string[] = [];
      let threadId = at.body.threadId!;
      for (let i = 0; i < 6; i++) {
        const hit = await s.continueToStop(threadId);
        assert.strictEqual(hit.body.reason, 'data breakpoint', JSON.stringify(hit.body));
        texts.push(hit.body.text ?? '');
        writers.add(hit.body.threadId!);
        threadId = hit.body.threadId!;
      }
      assert.strictEqual(writers.size, 3, `each of the 3 workers stopped: ${texts.join(', ')}`);
      assert.match(texts[5], / → 12$/, 'the last write makes 2 x (1 + 2 + 3)');
    });
  });

  it('writes made during one step are reported one per request, at the line that made them, never pinned on a later step', async () => {
    await withSession(async (s) => {
      await s.launchToStop({ program: program('steps') }, { [sourceOf('steps')]: [{ line: markerLine('steps', 'steps-call') }] });
      await s.watchGlobals({ name: 'g' });
      const next = async () => {
        const stopped = s.dc.waitForEvent('stopped') as Promise<DebugProtocol.StoppedEvent>;
        await s.dc.nextRequest({ threadId: MAIN_THREAD });
        return stopped;
      };
      const first = await next(); // over bump(3): the first write inside bump traps on its own
      assert.strictEqual(first.body.text, 'g: 3 → 13');
      const second = await next(); // through the loop's line: the other two writes are made inside gdb's single steps
      assert.strictEqual(second.body.text, 'g: 13 → 23');
      assert.match(second.body.description ?? '', /made during the step/);
      const third = await next(); // reported before stepping again: made during the last step, not this one
      assert.strictEqual(third.body.text, 'g: 23 → 33');
      assert.doesNotMatch(third.body.description ?? '', /made during the step/);
      assert.deepStrictEqual(
        s.hits.map((h) => h.line),
        [1, 2, 3].map(() => markerLine('steps', 'steps-bump')),
      );
      const fourth = await next();
      assert.strictEqual(fourth.body.reason, 'step', 'then the step goes on');
    });
  });

  it("a local of main is removed when main returns: no hit in the exit code that reuses its stack", async () => {
    await withSession(async (s) => {
      const at = await s.launchToStop({ program: program('mainlocal'), console: 'internalConsole' }, { [sourceOf('mainlocal')]: [{ line: markerLine('mainlocal', 'mainlocal-start') }] });
      const frame = await s.topFrame(at.body.threadId!);
      const info = await s.dc.dataBreakpointInfoRequest({ name: 'total', frameId: frame.id });
      assert.strictEqual(info.body.canPersist, false, 'a local');
      await s.dc.setDataBreakpointsRequest({ breakpoints: [{ dataId: info.body.dataId!, accessType: 'write' }] });
      const removed = s.dc.waitForEvent('breakpoint') as Promise<DebugProtocol.BreakpointEvent>;
      const exited = s.dc.waitForEvent('exited') as Promise<DebugProtocol.ExitedEvent>;
      const texts = await dataStopsToExit(s);
      assert.deepStrictEqual(texts, ['total: 0 → 1', 'total: 1 → 3', 'total: 3 → 6']);
      assert.match((await removed).body.breakpoint.message ?? '', /frame of total returned/);
      assert.strictEqual((await exited).body.exitCode, 0);
    });
  });
});
