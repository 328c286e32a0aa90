import * as assert from 'assert';
import { DebugProtocol } from '@vscode/debugprotocol';
import { holds, markerLine, processAlive, processStatus, program, Session, sourceOf, startProgram, withSession, suite } from './harness';

const MAIN_THREAD = 1; // gdb numbers the first thread 1

async function stopAtEntry(s: Session, name: string, args: string[] = []): Promise<DebugProtocol.StoppedEvent> {
  return s.launchToStop({ program: program(name), args, stopAtEntry: true });
}

async function stopAtMarker(s: Session, name: string, marker: string, args: string[] = []): Promise<DebugProtocol.StoppedEvent> {
  return s.launchToStop({ program: program(name), args }, { [sourceOf(name)]: [{ line: markerLine(name, marker) }] });
}

async function attach(s: Session, pid: number): Promise<void> {
  await Promise.all([s.configure(), s.dc.attachRequest({ pid } as DebugProtocol.AttachRequestArguments)]);
}

suite('process-wide data breakpoints', 'watchpoints', 3, () => {

  it('stops a thread created after arming, in that thread, with old → new', async () => {
    await withSession(async (s) => {
      await stopAtEntry(s, 'threads');
      const [bp] = await s.watchGlobals({ name: 'shared_counter' });
      assert.strictEqual(bp.verified, true);
      assert.match(bp.message ?? '', /^armed on 1 of 1 threads$/);
      const hit = await s.continueToStop(MAIN_THREAD);
      assert.strictEqual(hit.body.reason, 'data breakpoint');
      assert.deepStrictEqual(hit.body.hitBreakpointIds, [bp.id]);
      assert.notStrictEqual(hit.body.threadId, MAIN_THREAD, 'the worker that wrote, not main');
      assert.match(hit.body.description ?? '', /shared_counter: 0 → 1/);
      assert.strictEqual((await s.topFrame(hit.body.threadId!)).name, 'worker');
      const second = await s.continueToStop(hit.body.threadId!);
      assert.match(second.body.description ?? '', /shared_counter: 1 → 2/);
      // The hit history and coverage a view shows.
      assert.deepStrictEqual(
        s.hits.map((h) => [h.id, h.name, h.old, h.new, h.threadId, h.function, h.file]),
        [
          [bp.id, 'shared_counter', '0', '1', hit.body.threadId, 'worker', sourceOf('threads')],
          [bp.id, 'shared_counter', '1', '2', second.body.threadId, 'worker', sourceOf('threads')],
        ],
      );
      // Coverage follows the threads as they start (refreshed at most every 50 ms).
      const latest = () => s.coverage.filter((c) => c.id === bp.id).pop()!;
      while (latest().total < 2) {
        await s.dc.waitForEvent('pwatch/coverage');
      }
      assert.strictEqual(latest().label, 'shared_counter (8 bytes, write)');
      assert.strictEqual(latest().covered, latest().total, JSON.stringify(latest()));
    });
  });

  it('stops threads that existed and were blocked before arming, once released', async () => {
    await withSession(async (s) => {
      await stopAtMarker(s, 'gate', 'gate-ready', ['3']);
      const [bp] = await s.watchGlobals({ name: 'gate_value' });
      assert.match(bp.message ?? '', /^armed on 4 of 4 threads$/);
      const writers = new Set<number>();
      let last = MAIN_THREAD;
      for (let i = 0; i < 3; i++) {
        const hit = await s.continueToStop(last);
        assert.strictEqual(hit.body.reason, 'data breakpoint');
        assert.notStrictEqual(hit.body.threadId, MAIN_THREAD);
        writers.add(hit.body.threadId!);
        last = hit.body.threadId!;
      }
      assert.strictEqual(writers.size, 3, 'each blocked worker trapped once');
      const exited = s.dc.waitForEvent('exited');
      await s.dc.continueRequest({ threadId: last });
      assert.strictEqual((await exited).body.exitCode, 0);
    });
  });

  it('write stops only when the value changes; readWrite stops on every access', async () => {
    await withSession(async (s) => {
      await stopAtMarker(s, 'gate', 'gate-ready', ['1']);
      await s.watchGlobals({ name: 'same_value' });
      const first = await s.continueToStop(MAIN_THREAD);
      const second = await s.continueToStop(first.body.threadId!);
      assert.deepStrictEqual([first.body.text, second.body.text], ['same_value: 0 → 5', 'same_value: 5 → 7'], 'the second write of 5 did not stop');
    });
    await withSession(async (s) => {
      await stopAtMarker(s, 'gate', 'gate-ready', ['1']);
      await s.watchGlobals({ name: 'same_value', accessType: 'readWrite' });
      const texts: string[] = [];
      let thread = MAIN_THREAD;
      for (let i = 0; i < 3; i++) {
        const hit = await s.continueToStop(thread);
        texts.push(hit.body.text ?? '');
        thread = hit.body.threadId!;
      }
      assert.deepStrictEqual(texts, ['same_value: 0 → 5', 'same_value: 5 → 5', 'same_value: 5 → 7']);
    });
  });

  it('a filtered write during a step ends the step instead of letting the program run on', async () => {
    await withSession(async (s) => {
      await stopAtMarker(s, 'gate', 'gate-ready', ['1']);
      await s.watchGlobals({ name: 'same_value' });
      const first = await s.continueToStop(MAIN_THREAD);
      assert.strictEqual(first.body.text, 'same_value: 0 → 5');
      const stepped = s.dc.waitForEvent('stopped') as Promise<DebugProtocol.StoppedEvent>;
      await s.dc.nextRequest({ threadId: MAIN_THREAD }); // over the second `same_value = 5`
      const step = await stepped;
      assert.strictEqual(step.body.reason, 'step', 'not the 5 → 7 write further on');
      const last = await s.continueToStop(MAIN_THREAD);
      assert.strictEqual(last.body.text, 'same_value: 5 → 7');
    });
  });

  it('watches a 16-byte object with two debug registers', async () => {
    await withSession(async (s) => {
      await stopAtMarker(s, 'gate', 'gate-ready', ['1']);
      const [bp] = await s.watchGlobals({ name: 'wide_value' });
      assert.match(bp.message ?? '', /\(2 debug registers\)/);
      const hit = await s.continueToStop(MAIN_THREAD);
      assert.strictEqual(hit.body.threadId, MAIN_THREAD);
      assert.strictEqual(hit.body.text, 'wide_value: {lo = 0, hi = 0} → {lo = 0, hi = 42}', 'a structure is shown as gdb shows its type');
    });
  });

  it('watches an address and byte count in a heap buffer', async () => {
    await withSession(async (s) => {
      const stopped = await stopAtMarker(s, 'threads', 'main-print');
      const frame = await s.topFrame(stopped.body.threadId!);
      const buffer = await s.dc.evaluateRequest({ expression: 'heap_buffer', frameId: frame.id, context: 'watch' });
      const address = BigInt(/0x[0-9a-f]+/.exec(buffer.body.result)![0]) + 1n; // worker 1's byte
      const info = await s.dc.dataBreakpointInfoRequest({ name: `0x${address.toString(16)}`, asAddress: true, bytes: 1 } as DebugProtocol.DataBreakpointInfoArguments);
      assert.strictEqual(info.body.canPersist, false);
      const set = await s.dc.setDataBreakpointsRequest({ breakpoints: [{ dataId: info.body.dataId!, accessType: 'write' }] });
      assert.strictEqual(set.body.breakpoints[0].verified, true);
      const hit = await s.continueToStop(MAIN_THREAD);
      assert.match(hit.body.text ?? '', /: 0 → 1$/);
      const index = await s.dc.evaluateRequest({ expression: 'arg->index', frameId: (await s.topFrame(hit.body.threadId!)).id, context: 'watch' });
      assert.strictEqual(index.body.result, '1', 'worker 1 wrote its byte');
    });
  });

  it('honours a condition and a hit count', async () => {
    await withSession(async (s) => {
      await stopAtEntry(s, 'threads');
      await s.watchGlobals({ name: 'shared_counter', condition: 'shared_counter >= 3', hitCondition: '2' });
      const hit = await s.continueToStop(MAIN_THREAD);
      assert.strictEqual(hit.body.text, 'shared_counter: 3 → 4', '2 → 3 met the condition but was the first hit');
    });
  });

  it('leaves a breakpoint that stays in the set armed, with its id, and updates its hit count', async () => {
    await withSession(async (s) => {
      await stopAtEntry(s, 'threads');
      const [first] = await s.watchGlobals({ name: 'shared_counter' });
      const [again, other] = await s.watchGlobals({ name: 'shared_counter', hitCondition: '3' }, { name: 'global_config.origin.y' });
      assert.strictEqual(again.id, first.id);
      assert.notStrictEqual(other.id, first.id);
      assert.strictEqual(other.verified, true);
      const hit = await s.continueToStop(MAIN_THREAD);
      assert.deepStrictEqual(hit.body.hitBreakpointIds, [first.id]);
      assert.strictEqual(hit.body.text, 'shared_counter: 2 → 3');
    });
  });

  it('arms while the program runs, and disarming ends the hits', async () => {
    await withSession(async (s) => {
      await Promise.all([s.configure(), s.dc.launch({ program: program('spin'), args: ['60'] })]);
      await s.waitForOutput('stdout', /spin: pid \d+/);
      const stopped = s.dc.waitForEvent('stopped') as Promise<DebugProtocol.StoppedEvent>;
      const [bp] = await s.watchGlobals({ name: 'worker_ticks' });
      assert.match(bp.message ?? '', /^armed on 2 of 2 threads$/);
      const hit = await stopped;
      assert.strictEqual(hit.body.reason, 'data breakpoint');
      assert.notStrictEqual(hit.body.threadId, MAIN_THREAD);
      await s.dc.setDataBreakpointsRequest({ breakpoints: [] });
      // Disarmed: the next stop must be the source breakpoint on main, never the worker's write.
      await s.dc.setBreakpointsRequest({ source: { path: sourceOf('spin') }, breakpoints: [{ line: markerLine('spin', 'spin-main') }] });
      const next = await s.continueToStop(hit.body.threadId!);
      assert.strictEqual(next.body.reason, 'breakpoint');
    });
  });

  it("watches a local from the Variables view and removes it when its frame returns", async () => {
    await withSession(async (s) => {
      const stopped = await stopAtMarker(s, 'threads', 'add');
      const frame = await s.topFrame(stopped.body.threadId!);
      const scopes = await s.dc.scopesRequest({ frameId: frame.id });
      const locals = scopes.body.scopes.find((x) => x.name === 'Locals')!;
      await s.dc.variablesRequest({ variablesReference: locals.variablesReference });
      const info = await s.dc.dataBreakpointInfoRequest({ variablesReference: locals.variablesReference, name: 'sum' });
      assert.strictEqual(info.body.canPersist, false, 'a stack variable cannot persist');
      assert.match(info.body.dataId ?? '', /^l\/4\//);
      await s.dc.setBreakpointsRequest({ source: { path: sourceOf('threads') }, breakpoints: [] });
      const [bp] = (await s.dc.setDataBreakpointsRequest({ breakpoints: [{ dataId: info.body.dataId!, accessType: 'write' }] })).body.breakpoints;
      const hit = await s.continueToStop(stopped.body.threadId!);
      assert.match(hit.body.text ?? '', /→ 11$/, 'sum = 7 + 4');
      const removed = s.dc.waitForEvent('breakpoint') as Promise<DebugProtocol.BreakpointEvent>;
      const exited = s.dc.waitForEvent('exited');
      const stops: string[] = [];
      s.dc.on('stopped', (e: DebugProtocol.StoppedEvent) => stops.push(e.body.reason));
      await s.dc.continueRequest({ threadId: hit.body.threadId! });
      const event = await removed;
      assert.strictEqual(event.body.reason, 'changed');
      assert.strictEqual(event.body.breakpoint.id, bp.id);
      assert.strictEqual(event.body.breakpoint.verified, false);
      assert.match(event.body.breakpoint.message ?? '', /removed: the frame of sum returned/);
      await exited;
      assert.deepStrictEqual(stops, [], 'no stop for other frames that reuse the stack slot');
      assert.match(s.output('console'), /pwatch: data breakpoint removed: the frame of sum returned/);
    });
  });

  it('does not follow a fork, and exec removes the watchpoints with the old image', async () => {
    await withSession(async (s) => {
      await stopAtEntry(s, 'forkexec');
      await s.watchGlobals({ name: 'fe_value' });
      const first = await s.continueToStop(MAIN_THREAD);
      assert.strictEqual(first.body.text, 'fe_value: 0 → 1');
      const second = await s.continueToStop(MAIN_THREAD);
      assert.strictEqual(second.body.text, 'fe_value: 1 → 3', "the child's write of 2 is not reported");
      const stops: string[] = [];
      s.dc.on('stopped', (e: DebugProtocol.StoppedEvent) => stops.push(e.body.reason));
      const exited = s.dc.waitForEvent('exited');
      await s.dc.continueRequest({ threadId: MAIN_THREAD });
      assert.strictEqual((await exited).body.exitCode, 4);
      assert.deepStrictEqual(stops, [], 'the new image writes fe_value without trapping');
      await s.waitForOutput('stdout', /after exec, fe_value=9/);
    });
  });

  it('names exactly the threads whose debug registers are all taken', async () => {
    const { child, line } = await startProgram('hog', ['2', '2', '60'], /hog: pid (\d+) hogs ([\d ]+)\n/);
    try {
      const [, pid, hogs] = /hog: pid (\d+) hogs ([\d ]+)/.exec(line)!;
      const hogTids = hogs.trim().split(' ').map(Number).sort((a, b) => a - b);
      await withSession(async (s) => {
        await attach(s, Number(pid));
        const [bp] = await s.watchGlobals({ name: 'hog_counter' });
        assert.strictEqual(bp.verified, true);
        assert.match(bp.message ?? '', /^armed on 3 of 5 threads; missed: tid \d+ \(no free debug register.*\), tid \d+ \(no free debug register/);
        const report = s.coverage.find((c) => c.id === bp.id)!;
        assert.deepStrictEqual(report.missed.map((m) => m.tid), hogTids);
        assert.ok(report.missed.every((m) => m.errno === 28 && /no free debug register/.test(m.reason)));
        assert.strictEqual(report.covered, 3);
      });
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('detaching leaves the program running and never trapping again', async () => {
    const { child, pid } = await startProgram('spin', ['60'], /spin: pid \d+/);
    try {
      await withSession(async (s) => {
        await attach(s, pid);
        const stopped = s.dc.waitForEvent('stopped') as Promise<DebugProtocol.StoppedEvent>;
        await s.watchGlobals({ name: 'worker_ticks' });
        assert.strictEqual((await stopped).body.reason, 'data breakpoint');
        await s.dc.disconnectRequest({});
      });
      // The worker writes worker_ticks every millisecond: a watchpoint left behind would kill the untraced
      // program with SIGTRAP at once. Watch it for a while.
      await holds(() => processAlive(pid), 'the program is alive after detach');
      const status = processStatus(pid);
      assert.strictEqual(status.tracerPid, 0);
      assert.ok(status.state === 'S' || status.state === 'R', `state ${status.state}`);
    } finally {
      child.kill('SIGKILL');
    }
  });
});

suite("data breakpoints added by the editor's commands (pwatch/addDataBreakpoint)", 'watchpoints', 3, () => {

  it('arms on an expression or an address, survives the DAP set, and is removed on request', async () => {
    await withSession(async (s) => {
      await stopAtEntry(s, 'threads');
      const added = (await s.dc.customRequest('pwatch/addDataBreakpoint', { expression: 'shared_counter', accessType: 'write' })) as DebugProtocol.Response;
      const bp = (added.body as { breakpoint: DebugProtocol.Breakpoint }).breakpoint;
      assert.strictEqual(bp.verified, true);
      assert.match(bp.message ?? '', /^armed on 1 of 1 threads$/);
      assert.strictEqual(s.coverage.find((c) => c.id === bp.id)?.label, 'shared_counter (8 bytes, write)');
      await s.dc.setDataBreakpointsRequest({ breakpoints: [] }); // VS Code's own list is empty: ours stays
      const hit = await s.continueToStop(MAIN_THREAD);
      assert.deepStrictEqual([hit.body.reason, hit.body.hitBreakpointIds, hit.body.text], ['data breakpoint', [bp.id], 'shared_counter: 0 → 1']);

      const frame = await s.topFrame(hit.body.threadId!);
      const address = /0x[0-9a-f]+/.exec((await s.dc.evaluateRequest({ expression: '&global_config.limits[1]', frameId: frame.id, context: 'watch' })).body.result)![0];
      const byAddress = (await s.dc.customRequest('pwatch/addDataBreakpoint', { address, bytes: 4, accessType: 'readWrite' })) as DebugProtocol.Response;
      assert.strictEqual((byAddress.body as { breakpoint: DebugProtocol.Breakpoint }).breakpoint.verified, true);
      await assert.rejects(s.dc.customRequest('pwatch/addDataBreakpoint', {}), /give an expression, or an address/);
      await assert.rejects(s.dc.customRequest('pwatch/addDataBreakpoint', { address: '0x8', bytes: 8 }), /0x8 is not a user-space address of the program/);
      await assert.rejects(s.dc.customRequest('pwatch/addDataBreakpoint', { expression: 'global_config', accessType: 'write' }), /need 4 debug registers, but 1 of 3 are free/);

      const removed = s.dc.waitForEvent('pwatch/removed');
      await s.dc.customRequest('pwatch/removeDataBreakpoint', { id: bp.id });
      assert.deepStrictEqual((await removed).body, { id: bp.id });
      await assert.rejects(s.dc.customRequest('pwatch/removeDataBreakpoint', { id: bp.id }), /no data breakpoint/);
    });
  });
});

suite('data breakpoints: bad input', 'watchpoints', 2, () => {

  it('explains what cannot be watched, per breakpoint, without harming the program', async () => {
    await withSession(async (s) => {
      await s.launchToStop({ program: program('threads'), stopAtEntry: true, watchSlots: 1 });
      const info = (args: Record<string, unknown>) => s.dc.dataBreakpointInfoRequest(args as unknown as DebugProtocol.DataBreakpointInfoArguments).then((r) => r.body);
      const counter = await info({ name: 'shared_counter' });
      assert.strictEqual((await info({ name: counter.description.match(/0x[0-9a-f]+/)![0], asAddress: true, bytes: 0 })).dataId, null);
      assert.match((await info({ name: '0x1000', asAddress: true, bytes: 64 })).description, /watches 1 to 32 bytes/);
      assert.match((await info({ name: '0x1000', asAddress: true, bytes: 8 })).description, /not mapped/);
      assert.match((await info({ name: 'not an address', asAddress: true, bytes: 8 })).description, /is not an address/);
      assert.match((await info({ name: '1 + 2' })).description, /has no address/);
      assert.match((await info({ name: 'global_config.limits[0]@9' })).description, /is 36 bytes: pwatch watches 1 to 32 bytes/);
      const set = await s.dc.setDataBreakpointsRequest({
        breakpoints: [
          { dataId: counter.dataId!, accessType: 'write' },
          { dataId: 'g/4/global_config.origin.x', accessType: 'write' },
          { dataId: 'nonsense', accessType: 'write' },
        ],
      });
      const [first, second, third] = set.body.breakpoints;
      assert.strictEqual(first.verified, true);
      assert.strictEqual(second.verified, false);
      assert.match(second.message ?? '', /need 1 debug registers, but 0 of 1 are free/);
      assert.match(third.message ?? '', /is not one of pwatch's/);
      const exited = s.dc.waitForEvent('exited');
      await s.dc.setDataBreakpointsRequest({ breakpoints: [] });
      await s.dc.continueRequest({ threadId: MAIN_THREAD });
      assert.strictEqual((await exited).body.exitCode, 0, 'the program ran to its end');
    });
  });
});

suite('data breakpoint info: hostile input, validated before anything is evaluated or allocated', 'gdb', 2, () => {

  it('refuses side effects, kernel addresses and absurd sizes, and the program is unchanged', async () => {
    await withSession(async (s) => {
      const line = markerLine('threads', 'main-config');
      const stopped = await s.launchToStop({ program: program('threads') }, { [sourceOf('threads')]: [{ line }] });
      const frame = await s.topFrame(stopped.body.threadId!);
      const info = (args: Record<string, unknown>) => s.dc.dataBreakpointInfoRequest(args as unknown as DebugProtocol.DataBreakpointInfoArguments).then((r) => r.body);
      const before = (await s.dc.evaluateRequest({ expression: 'shared_counter', frameId: frame.id, context: 'watch' })).body.result;
      for (const name of ['shared_counter = 4242', 'shared_counter += 1', 'shared_counter++', '--shared_counter', 'add(1, 2)', 'global_config.limits[add(0, 1)]']) {
        const body = await info({ name, frameId: frame.id });
        assert.strictEqual(body.dataId, null, name);
        assert.match(body.description, /cannot be watched: it (assigns|increments|calls add)/, name);
      }
      assert.ok((await info({ name: 'global_config.limits[0] == 10 ? global_config.limits[1] : 0', frameId: frame.id })).description.length > 0);
      const after = (await s.dc.evaluateRequest({ expression: 'shared_counter', frameId: frame.id, context: 'watch' })).body.result;
      assert.strictEqual(after, before, 'nothing was assigned');
      assert.match((await info({ name: '0xffff888000000000', asAddress: true, bytes: 8 })).description, /not a user-space address/);
      assert.match((await info({ name: '0x8', asAddress: true, bytes: 8 })).description, /not a user-space address/);
      assert.match((await info({ name: '99999999999999999999999', asAddress: true, bytes: 8 })).description, /is not an address/);
      assert.match((await info({ name: '0x1000', asAddress: true, bytes: 10000000 })).description, /watches 1 to 32 bytes/);
    });
  });
});
