import * as assert from 'assert';
import { ChildProcess } from 'child_process';
import { DebugProtocol } from '@vscode/debugprotocol';
import { LogpointEventBody } from '../../adapter/protocol/pwatchProtocol';
import { onPwatchEvent, pwatchRequest } from '../../adapter/protocol/pwatchClient';
import { adapterPid, perfEventCount } from '../reliability/processes';
import { markerLine, processAlive, processStatus, program, Session, SLOWER, sourceOf, startProgram, suite, until, withSession } from './harness';

/** churn's own account of its writes: tid → writes, from "churn: ... tid N wrote M times" lines. */
function writesPerThread(stdout: string): Map<number, number> {
  const counts = new Map<number, number>();
  for (const m of stdout.matchAll(/churn: \w+ tid (\d+) wrote (\d+) times/g)) {
    counts.set(Number(m[1]), (counts.get(Number(m[1])) ?? 0) + Number(m[2]));
  }
  return counts;
}

/** Threads that write in one burst of `churn ROUNDS`: the early thread and 4 per round. */
const writersPerBurst = (rounds: number) => 1 + 4 * rounds;

async function startChurn(rounds: number): Promise<{ child: ChildProcess; pid: number; stdout: () => string }> {
  const { child, pid } = await startProgram('churn', [String(rounds)], /churn: pid \d+/, 'pipe');
  let text = '';
  child.stdout!.on('data', (chunk: Buffer) => (text += chunk.toString()));
  return { child, pid, stdout: () => text };
}

async function observe(s: Session, pid: number): Promise<void> {
  await Promise.all([s.configure(), s.dc.attachRequest({ pid, mode: 'observe' } as DebugProtocol.AttachRequestArguments)]);
}

suite('observe mode (no tracer)', 'watchpoints', 3, () => {
  it('logs a program that keeps creating threads, exactly per thread, never tracing or stopping it', async () => {
    const rounds = 10;
    const churn = await startChurn(rounds);
    try {
      await withSession(async (s) => {
        const adapter = adapterPid(s);
        const events: LogpointEventBody[] = [];
        onPwatchEvent(s.dc, 'pwatch/logpoint', (body) => events.push(body));
        await observe(s, churn.pid);
        assert.strictEqual(processStatus(churn.pid).tracerPid, 0, 'nothing traces the program');
        const [logpoint] = (await pwatchRequest(s.dc, 'pwatch/setDataLogpoints', { logpoints: [{ expression: 'churn_target' }] })).logpoints;
        assert.strictEqual(logpoint.verified, true, logpoint.message);
        // main and the early thread exist: each gets events of its own; the workers inherit main's.
        assert.strictEqual(logpoint.message, 'logging; armed on 2 of 2 threads');
        let stops = 0;
        s.dc.on('stopped', () => stops++);
        churn.child.stdin!.write('go\n');
        await until(() => writesPerThread(churn.stdout()).size === writersPerBurst(rounds), 'every thread of the burst has written');
        const expected = writesPerThread(churn.stdout());
        const total = [...expected.values()].reduce((a, b) => a + b, 0);
        const latest = () => events.filter((e) => e.id === logpoint.id).pop();
        await until(() => latest()?.total === total, `the log reaches the ${total} writes made (at ${latest()?.total})`);
        const last = latest()!;
        assert.deepStrictEqual(new Map(last.perThread.map((t) => [t.tid, t.count])), expected, 'logged writes per thread = the writes each thread made');
        assert.strictEqual(last.lost, 0);
        assert.strictEqual(stops, 0);
        assert.strictEqual(processStatus(churn.pid).tracerPid, 0, 'still untraced');
        // Symbolised from debug information alone (gdb never attached): the marked line, in write_times().
        const line = markerLine('churn', 'churn-write');
        const shown = events.flatMap((e) => e.hits);
        assert.ok(shown.some((h) => h.function === 'write_times' && h.line === line && h.file === sourceOf('churn')), JSON.stringify(shown.slice(0, 2)));
        // Threads by tid, from the process itself.
        const threads = (await s.dc.threadsRequest()).body.threads.map((t) => t.id).sort((a, b) => a - b);
        assert.strictEqual(threads[0], churn.pid);
        // What needs a debugger says so, and names the way to get one.
        await assert.rejects(s.dc.stackTraceRequest({ threadId: churn.pid }), /needs a debugger attached.*'mode' "debug"/);
        await assert.rejects(s.dc.pauseRequest({ threadId: churn.pid }), /needs a debugger attached/);
        const [unverified] = (await s.dc.setBreakpointsRequest({ source: { path: sourceOf('churn') }, breakpoints: [{ line }] })).body.breakpoints;
        assert.deepStrictEqual([unverified.verified, /never stops/.test(unverified.message ?? '')], [false, true], unverified.message);
        const [refused] = (await s.dc.setDataBreakpointsRequest({ breakpoints: [{ dataId: 'churn_target' }] })).body.breakpoints;
        assert.strictEqual(refused.verified, false);
        assert.match(refused.message ?? '', /observed process has no debugger to take the stop/);
        // The program ends: so does the session, every event closed.
        const terminated = s.dc.waitForEvent('terminated');
        churn.child.stdin!.end();
        await terminated;
        assert.match(s.output('console'), new RegExp(`process ${churn.pid} exited`));
        await until(() => perfEventCount(adapter) === 0, `the adapter has no perf event left (has ${perfEventCount(adapter)})`);
      });
    } finally {
      churn.child.kill('SIGKILL');
    }
  });

  it('a debugger attaches on demand and leaves again, the data logpoint counting on across both', async () => {
    const rounds = 2;
    const churn = await startChurn(rounds);
    try {
      await withSession(async (s) => {
        const events: LogpointEventBody[] = [];
        onPwatchEvent(s.dc, 'pwatch/logpoint', (body) => events.push(body));
        const modes: string[] = [];
        onPwatchEvent(s.dc, 'pwatch/mode', (body) => modes.push(body.mode));
        await observe(s, churn.pid);
        const [logpoint] = (await pwatchRequest(s.dc, 'pwatch/setDataLogpoints', { logpoints: [{ expression: 'churn_target' }] })).logpoints;
        const latest = () => events.filter((e) => e.id === logpoint.id).pop();
        /** Runs a burst and waits until the log holds every write made so far. */
        const burst = async (n: number) => {
          churn.child.stdin!.write('go\n');
          await until(() => (churn.stdout().match(/churn: burst done/g) ?? []).length === n && writesPerThread(churn.stdout()).size === n * (writersPerBurst(rounds) - 1) + 1, `burst ${n} is done`);
          const total = [...writesPerThread(churn.stdout()).values()].reduce((a, b) => a + b, 0);
          await until(() => latest()?.total === total, `the log reaches the ${total} writes made (at ${latest()?.total})`);
          assert.deepStrictEqual(new Map(latest()!.perThread.map((t) => [t.tid, t.count])), writesPerThread(churn.stdout()));
        };
        await burst(1);
        // The editor's "Attach Debugger Now": gdb traces the process, the client is asked for its breakpoints again.
        const initialized = s.dc.waitForEvent('initialized');
        await pwatchRequest(s.dc, 'pwatch/attachDebugger', {});
        await initialized;
        assert.notStrictEqual(processStatus(churn.pid).tracerPid, 0, 'gdb traces the program now');
        const line = markerLine('churn', 'churn-write');
        const [breakpoint] = (await s.dc.setBreakpointsRequest({ source: { path: sourceOf('churn') }, breakpoints: [{ line }] })).body.breakpoints;
        assert.strictEqual(breakpoint.verified, true, breakpoint.message);
        const hit = s.dc.waitForEvent('stopped') as Promise<DebugProtocol.StoppedEvent>;
        churn.child.stdin!.write('go\n');
        const stop = await hit;
        assert.strictEqual(stop.body.reason, 'breakpoint');
        const frames = (await s.dc.stackTraceRequest({ threadId: stop.body.threadId! })).body.stackFrames;
        assert.strictEqual(frames[0].name, 'write_times');
        await s.dc.setBreakpointsRequest({ source: { path: sourceOf('churn') }, breakpoints: [] });
        await s.dc.continueRequest({ threadId: stop.body.threadId! });
        await until(() => (churn.stdout().match(/churn: burst done/g) ?? []).length === 2 && writesPerThread(churn.stdout()).size === 2 * (writersPerBurst(rounds) - 1) + 1, 'burst 2 is done');
        const total = [...writesPerThread(churn.stdout()).values()].reduce((a, b) => a + b, 0);
        await until(() => latest()?.total === total, `the log counts the writes made while debugged too (${total}, at ${latest()?.total})`);
        // Back to observing: gdb detaches, the logpoint goes on.
        await pwatchRequest(s.dc, 'pwatch/detachDebugger', {});
        await until(() => processStatus(churn.pid).tracerPid === 0, 'the program is untraced again');
        await burst(3);
        assert.deepStrictEqual(modes, ['observe', 'debug', 'observe']);
        await s.dc.disconnectRequest({});
      });
    } finally {
      churn.child.kill('SIGKILL');
    }
  });

  it('names accesses made in a shared library by its symbols, loaded at its load bias without attaching', async () => {
    const { child, pid } = await startProgram('libwrite', [], /libwrite: pid \d+/, 'pipe');
    try {
      await withSession(async (s) => {
        const events: LogpointEventBody[] = [];
        onPwatchEvent(s.dc, 'pwatch/logpoint', (body) => events.push(body));
        await observe(s, pid);
        const [logpoint] = (await pwatchRequest(s.dc, 'pwatch/setDataLogpoints', { logpoints: [{ expression: 'greeting' }] })).logpoints;
        assert.strictEqual(logpoint.verified, true, logpoint.message);
        const terminated = s.dc.waitForEvent('terminated');
        child.stdin!.end('go\n');
        await terminated;
        const last = events.filter((e) => e.id === logpoint.id).pop()!;
        // Each memset stores the 8 bytes the same way: once, or twice overlapping (glibc's variant for this CPU).
        assert.ok(last.total >= 1000 && last.total % 1000 === 0 && last.lost === 0, `${last.total} logged, ${last.lost} lost`);
        // glibc picks its memset by CPU (__memset_avx2_unaligned_erms, ...): a name, not an address.
        assert.ok(last.hits.length > 0 && last.hits.every((h) => /memset/.test(h.function ?? '')), JSON.stringify(last.hits.slice(0, 2)));
      });
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('one move at a time: a second Attach Debugger Now while the first runs is refused, the program unharmed', async () => {
    const churn = await startChurn(1);
    try {
      await withSession(async (s) => {
        await observe(s, churn.pid);
        const both = await Promise.allSettled([pwatchRequest(s.dc, 'pwatch/attachDebugger', {}), pwatchRequest(s.dc, 'pwatch/attachDebugger', {})]);
        assert.deepStrictEqual(both.map((r) => r.status).sort(), ['fulfilled', 'rejected']);
        const refused = both.find((r): r is PromiseRejectedResult => r.status === 'rejected')!;
        assert.match(String(refused.reason), /already changing between observing and debugging|a debugger is attached already/);
        assert.ok(processAlive(churn.pid), 'the program lives');
        assert.notStrictEqual(processStatus(churn.pid).tracerPid, 0, 'and is debugged');
        await s.dc.disconnectRequest({});
      });
      await until(() => processStatus(churn.pid).tracerPid === 0, 'the program is untraced after the session');
      assert.ok(processAlive(churn.pid));
    } finally {
      churn.child.kill('SIGKILL');
    }
  });

  it('goes back to observing from a non-stop session without a stop shown, the program untraced', async () => {
    const churn = await startChurn(1);
    try {
      await withSession(async (s) => {
        await Promise.all([s.configure(), s.dc.attachRequest({ pid: churn.pid, stopMode: 'thread' } as DebugProtocol.AttachRequestArguments)]);
        const stops: DebugProtocol.StoppedEvent[] = [];
        s.dc.on('stopped', (e: DebugProtocol.StoppedEvent) => stops.push(e));
        await pwatchRequest(s.dc, 'pwatch/detachDebugger', {});
        assert.strictEqual(processStatus(churn.pid).tracerPid, 0);
        assert.deepStrictEqual(stops.map((e) => e.body.reason), [], 'detaching shows no stop');
        const [logpoint] = (await pwatchRequest(s.dc, 'pwatch/setDataLogpoints', { logpoints: [{ expression: 'churn_target' }] })).logpoints;
        assert.strictEqual(logpoint.verified, true, logpoint.message);
        await s.dc.disconnectRequest({});
      });
    } finally {
      churn.child.kill('SIGKILL');
    }
  });

  it('a race hunt ends "stopped" when the debugger leaves to observe, and another runs once it is back', async () => {
    const { child, pid } = await startProgram('race_counter', [String(60 * SLOWER)], /race_counter: pid \d+/);
    try {
      await withSession(async (s) => {
        await Promise.all([s.configure(), s.dc.attachRequest({ pid, mode: 'observe', stopMode: 'thread' } as DebugProtocol.AttachRequestArguments)]);
        await pwatchRequest(s.dc, 'pwatch/attachDebugger', {});
        const first = s.dc.waitForEvent('pwatch/race', 30_000 * SLOWER);
        const answered = pwatchRequest(s.dc, 'pwatch/huntRaces', { targets: [{ expression: 'counter' }], durationMs: 600_000 });
        await first;
        await pwatchRequest(s.dc, 'pwatch/detachDebugger', {});
        assert.strictEqual((await answered).reason, 'stopped');
        assert.strictEqual(processStatus(pid).tracerPid, 0, 'observed again: untraced');
        await pwatchRequest(s.dc, 'pwatch/attachDebugger', {});
        const again = await pwatchRequest(s.dc, 'pwatch/huntRaces', { targets: [{ expression: 'counter' }], durationMs: 500 });
        assert.strictEqual(again.reason, 'duration');
        await s.dc.disconnectRequest({});
      });
      await until(() => processStatus(pid).tracerPid === 0, 'the program is untraced after the session');
      assert.ok(processAlive(pid), 'and runs on');
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('ends when the observed program executes another, which runs on untouched', async () => {
    const { child, pid } = await startProgram('hunt_exec', [String(3 * SLOWER), program('norace_slots'), '1'], /hunt_exec: pid \d+/);
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
    try {
      await withSession(async (s) => {
        await observe(s, pid);
        const [logpoint] = (await pwatchRequest(s.dc, 'pwatch/setDataLogpoints', { logpoints: [{ expression: 'total' }] })).logpoints;
        assert.strictEqual(logpoint.verified, true, logpoint.message);
        await s.dc.waitForEvent('terminated', 20_000 * SLOWER);
        assert.match(s.output('console'), new RegExp(`process ${pid} executed .*norace_slots: its data logpoints watched the old program's memory; the session ends`));
      });
      assert.deepStrictEqual(await exited, { code: 0, signal: null });
      assert.match(output, /norace_slots: \d+ \+ \d+ increments/);
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('disconnecting leaves the program running untraced, with no event of ours on it', async () => {
    const churn = await startChurn(2);
    try {
      await withSession(async (s) => {
        const adapter = adapterPid(s);
        await observe(s, churn.pid);
        const [logpoint] = (await pwatchRequest(s.dc, 'pwatch/setDataLogpoints', { logpoints: [{ expression: 'churn_target' }] })).logpoints;
        assert.strictEqual(logpoint.verified, true, logpoint.message);
        assert.ok(perfEventCount(adapter) > 0, 'events are open while observing');
        await s.dc.disconnectRequest({});
      });
      // The program goes on: a burst runs to its end (a surviving event with a signal would kill it).
      churn.child.stdin!.write('go\n');
      await until(() => /churn: burst done/.test(churn.stdout()), 'the program ran its burst after the session');
      assert.strictEqual(processStatus(churn.pid).tracerPid, 0);
      const exited = new Promise((resolve) => churn.child.once('exit', (code, signal) => resolve({ code, signal })));
      churn.child.stdin!.end();
      assert.deepStrictEqual(await exited, { code: 0, signal: null });
    } finally {
      churn.child.kill('SIGKILL');
    }
  });

  it('refuses with the cause: an unknown mode, a gdbserver target, no data logpoints, a process that is gone', async () => {
    await withSession(async (s) => {
      await assert.rejects(s.dc.attachRequest({ pid: process.pid, mode: 'watch' } as DebugProtocol.AttachRequestArguments), /'mode' must be "debug".*or "observe"/);
    });
    await withSession(async (s) => {
      await assert.rejects(s.dc.attachRequest({ target: '127.0.0.1:1', mode: 'observe' } as DebugProtocol.AttachRequestArguments), /'mode' "observe" watches a process of this machine/);
    });
    const { child, pid } = await startProgram('churn', ['1'], /churn: pid \d+/, 'pipe');
    await withSession(async (s) => {
      await assert.rejects(
        s.dc.attachRequest({ pid, mode: 'observe', logpointSlots: 0 } as DebugProtocol.AttachRequestArguments),
        new RegExp(`cannot observe process ${pid}: data logpoints are off: 'logpointSlots' is 0`),
      );
    });
    assert.strictEqual(processStatus(pid).tracerPid, 0, 'the program was not touched');
    child.kill('SIGKILL');
    await until(() => !processAlive(pid), 'the program is gone');
    await withSession(async (s) => {
      await assert.rejects(s.dc.attachRequest({ pid, mode: 'observe' } as DebugProtocol.AttachRequestArguments), /(no process with pid|it does not exist)/);
    });
  });
});
