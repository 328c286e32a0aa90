import * as assert from 'assert';
import { DebugProtocol } from '@vscode/debugprotocol';
import { markerLine, program, sourceOf, withSession, suite } from './harness';

suite('breakpoints', 'gdb', 3, () => {
  const src = sourceOf('threads');

  it('stops at a source breakpoint hit in a worker thread', async () => {
    await withSession(async (s) => {
      const started: number[] = [];
      s.dc.on('thread', (e: DebugProtocol.ThreadEvent) => e.body.reason === 'started' && started.push(e.body.threadId));
      const line = markerLine('threads', 'worker');
      const stopped = await s.launchToStop({ program: program('threads') }, { [src]: [{ line }] });
      assert.strictEqual(stopped.body.reason, 'breakpoint');
      assert.ok(stopped.body.hitBreakpointIds?.length === 1, 'hitBreakpointIds names the breakpoint');
      const threadId = stopped.body.threadId!;
      const threads = (await s.dc.threadsRequest()).body.threads;
      const main = threads.reduce((a, b) => (a.id < b.id ? a : b));
      assert.notStrictEqual(threadId, main.id, 'the stop is in a worker, not in main');
      assert.ok(started.includes(threadId), 'a thread started event came for the worker');
      const frame = await s.topFrame(threadId);
      assert.strictEqual(frame.name, 'worker');
      assert.strictEqual(frame.line, line);
    });
  });

  it('honours a condition', async () => {
    await withSession(async (s) => {
      const stopped = await s.launchToStop({ program: program('threads') }, { [src]: [{ line: markerLine('threads', 'worker'), condition: 'arg->index == 1' }] });
      const frame = await s.topFrame(stopped.body.threadId!);
      const index = await s.dc.evaluateRequest({ expression: 'arg->index', frameId: frame.id, context: 'watch' });
      assert.strictEqual(index.body.result, '1');
    });
  });

  it('honours a hit condition, then runs to the end', async () => {
    await withSession(async (s) => {
      const stopped = await s.launchToStop({ program: program('threads') }, { [src]: [{ line: markerLine('threads', 'worker'), hitCondition: '== 4' }] });
      const frame = await s.topFrame(stopped.body.threadId!);
      const counter = await s.dc.evaluateRequest({ expression: 'shared_counter', frameId: frame.id, context: 'watch' });
      assert.strictEqual(counter.body.result, '3', 'three hits passed silently before the fourth stopped');
      const exited = s.dc.waitForEvent('exited');
      await s.dc.continueRequest({ threadId: stopped.body.threadId! });
      assert.strictEqual((await exited).body.exitCode, 0, 'no further stop: == 4 matches once');
    });
  });

  it('logs a logpoint message for every hit without stopping', async () => {
    await withSession(async (s) => {
      let stops = 0;
      s.dc.on('stopped', () => stops++);
      const exited = s.dc.waitForEvent('exited');
      await Promise.all([
        s.configure({ [src]: [{ line: markerLine('threads', 'worker'), logMessage: 'hit by worker {arg->index}, counter {shared_counter} {{literal}}' }] }),
        s.dc.launch({ program: program('threads'), args: ['3'] }),
      ]);
      await exited;
      const lines = s.output('console').split('\n').filter((l) => l.startsWith('hit by worker'));
      assert.strictEqual(lines.length, 15, '3 workers x 5 iterations');
      assert.ok(lines.every((l) => /^hit by worker [0-2], counter \d+ \{literal\}$/.test(l)), lines.join('\n'));
      assert.deepStrictEqual(lines.map((l) => Number(/counter (\d+)/.exec(l)![1])).sort((a, b) => a - b), [...Array(15).keys()]);
      assert.strictEqual(stops, 0);
    });
  });

  it('stops at a function breakpoint', async () => {
    await withSession(async (s) => {
      const stopped = s.dc.waitForEvent('stopped') as Promise<DebugProtocol.StoppedEvent>;
      let set: DebugProtocol.SetFunctionBreakpointsResponse | undefined;
      await Promise.all([
        (async () => {
          await s.dc.waitForEvent('initialized');
          set = await s.dc.setFunctionBreakpointsRequest({ breakpoints: [{ name: 'add' }, { name: 'no_such_function' }] });
          await s.dc.configurationDoneRequest();
        })(),
        s.dc.launch({ program: program('threads') }),
      ]);
      assert.strictEqual(set?.body.breakpoints[0].verified, true);
      assert.strictEqual(set?.body.breakpoints[1].verified, false, 'an unknown function stays pending');
      assert.match(set?.body.breakpoints[1].message ?? '', /^pending: no function of that name is loaded \(yet\)/);
      const event = await stopped;
      assert.strictEqual(event.body.reason, 'function breakpoint');
      assert.strictEqual((await s.topFrame(event.body.threadId!)).name, 'add');
    });
  });

  it('refuses a hit condition it does not understand, and a line with no code', async () => {
    await withSession(async (s) => {
      await Promise.all([
        (async () => {
          await s.dc.waitForEvent('initialized');
          const set = await s.dc.setBreakpointsRequest({
            source: { path: src },
            breakpoints: [{ line: markerLine('threads', 'worker'), hitCondition: 'sometimes' }, { line: 100000 }],
          });
          assert.strictEqual(set.body.breakpoints[0].verified, false);
          assert.match(set.body.breakpoints[0].message ?? '', /hit condition "sometimes" is not understood/);
          assert.strictEqual(set.body.breakpoints[1].verified, false);
          await s.dc.configurationDoneRequest();
        })(),
        s.dc.launch({ program: program('threads'), stopAtEntry: true }),
      ]);
    });
  });
});
