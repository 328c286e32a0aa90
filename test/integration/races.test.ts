/**
 * Race hunts (pwatch/huntRaces) against real programs: each racy program of test-workspace reported with its two
 * threads and source lines, each race-free one (mutex, atomics, barrier) with none although the hunt stalled on its
 * accesses, the whole program sampled without a target, and a hunt stopped midway leaving the program running
 * untraced and intact.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import { DebugProtocol } from '@vscode/debugprotocol';
import { onPwatchEvent, pwatchRequest } from '../../adapter/protocol/pwatchClient';
import { HuntEndEventBody, PwatchRequests, RaceEventBody } from '../../adapter/protocol/pwatchProtocol';
import { markerLine, processAlive, processStatus, program, Session, SLOWER, startProgram, suite, until, withSession } from './harness';

type HuntResult = PwatchRequests['pwatch/huntRaces']['body'];
type HuntArgs = PwatchRequests['pwatch/huntRaces']['args'];

/** Launches `name` for `seconds` with stopMode thread, stopped at its entry. */
async function launch(s: Session, name: string, seconds: number, stopMode: 'thread' | 'all' = 'thread'): Promise<void> {
  await s.launchToStop({ program: program(name), args: [String(seconds)], stopAtEntry: true, stopMode, console: 'internalConsole' });
}

/** Starts a hunt while the program stands at its entry, lets it run, and returns the hunt's answer and its race events. */
async function hunt(s: Session, args: HuntArgs): Promise<{ result: HuntResult; events: RaceEventBody[]; end: HuntEndEventBody }> {
  const events: RaceEventBody[] = [];
  onPwatchEvent(s.dc, 'pwatch/race', (race) => events.push(race));
  const ended = s.dc.waitForEvent('pwatch/huntEnd', 120_000 * SLOWER);
  const answered = pwatchRequest(s.dc, 'pwatch/huntRaces', args);
  // The hunt begins when the program runs: continue it (every thread) once the request is in.
  await s.dc.continueRequest({ threadId: 1 });
  const result = await answered;
  return { result, events, end: (await ended).body as HuntEndEventBody };
}

function lineOf(side: RaceEventBody['first']): number | undefined {
  return side.frames[0]?.line;
}

function fileOf(side: RaceEventBody['first']): string {
  return side.frames[0]?.file ?? '';
}

/** Every report is two different threads, at least one writing, at lines among `lines` of `source`. */
function checkReports(reports: RaceEventBody[], source: string, lines: number[]): void {
  assert.ok(reports.length > 0, 'no race reported');
  for (const race of reports) {
    const text = JSON.stringify(race);
    assert.notStrictEqual(race.first.tid, race.second.tid, text);
    assert.ok(race.first.access === 'write' || race.second.access === 'write', text);
    for (const side of [race.first, race.second]) {
      assert.ok(fileOf(side).endsWith(source), text);
      assert.ok(lines.includes(lineOf(side)!), `line ${lineOf(side)} not among ${lines}: ${text}`);
      assert.ok(side.threadId !== undefined && side.frames.length >= 2, text);
    }
  }
}

suite('race hunts', 'watchpoints', 22, () => {
  it('reports a lost update on a counter: two threads, the increment line on both sides; the program then ends intact', async () => {
    await withSession(async (s) => {
      await launch(s, 'race_counter', 8);
      const exited = s.dc.waitForEvent('exited', 60_000 * SLOWER);
      const { result, events, end } = await hunt(s, { targets: [{ expression: 'counter' }], durationMs: 3000 });
      const line = markerLine('race_counter', 'counter-increment');
      checkReports(result.reports, 'race_counter.c', [line]);
      assert.ok(result.reports.some((r) => r.first.access === 'write' || r.second.access === 'write'));
      assert.strictEqual(result.reports[0].symbol, 'counter');
      assert.ok(events.length >= result.reports.length, 'a pwatch/race event per race');
      assert.deepStrictEqual({ ...end }, { races: result.races, samples: result.samples, stalls: result.stalls, durationMs: result.durationMs, reason: 'duration', missedThreads: 0 });
      assert.match(s.output('console'), /pwatch: data race on counter/);
      // No thread is left held: the program reaches its deadline and ends on its own.
      assert.strictEqual((await exited).body.exitCode, 0);
      await s.waitForOutput('stdout', /race_counter: \d+ increments/);
    });
  });

  it('reports a check-then-act on a flag', async () => {
    await withSession(async (s) => {
      await launch(s, 'race_flag', 60);
      const { result } = await hunt(s, { targets: [{ expression: 'slot_taken' }], durationMs: 3000 });
      const lines = ['flag-check', 'flag-take', 'flag-release'].map((m) => markerLine('race_flag', m));
      checkReports(result.reports, 'race_flag.c', lines);
    });
  });

  it('reports a publication without a barrier (a plain flag)', async () => {
    await withSession(async (s) => {
      await launch(s, 'race_publish', 60);
      const { result } = await hunt(s, { targets: [{ expression: 'ready' }], durationMs: 3000 });
      const set = markerLine('race_publish', 'publish-set');
      const check = markerLine('race_publish', 'publish-check');
      // The producer's check and raise, the consumer's check and lowering (the line after its read of the message).
      checkReports(result.reports, 'race_publish.c', [set - 2, set, check, check + 2]);
      assert.ok(result.reports.some((r) => [r.first, r.second].some((side) => lineOf(side) === set)), 'the producer raising the flag is one side');
    });
  });

  for (const [name, expression] of [
    ['norace_mutex', 'counter'],
    ['norace_atomic', 'counter'],
    ['norace_barrier', 'cells[1]'],
    // One debug register watches both halves of slots (and all of bytes); each thread touches only its own.
    ['norace_slots', 'slots'],
    ['norace_slots', 'bytes'],
  ] as const) {
    it(`reports nothing on ${name} (${expression}), having stalled on its accesses`, async () => {
      await withSession(async (s) => {
        await launch(s, name, 60);
        const { result } = await hunt(s, { targets: [{ expression }], durationMs: 3000 });
        assert.deepStrictEqual(result.reports, []);
        assert.ok(result.stalls >= 5, `the hunt stalled ${result.stalls} times: it must have watched accesses to prove anything`);
      });
    });
  }

  it('finds the lost update with no target, sampling the whole program', async () => {
    await withSession(async (s) => {
      await launch(s, 'race_counter', 60);
      const { result } = await hunt(s, { durationMs: 8000 });
      const line = markerLine('race_counter', 'counter-increment');
      const onCounter = result.reports.filter((r) => lineOf(r.first) === line && lineOf(r.second) === line);
      assert.ok(onCounter.length > 0, JSON.stringify(result));
      assert.match(onCounter[0].symbol ?? '', /counter/);
    });
  });

  // norace_atomic: the hunt's code sample breakpoint (an int3 over the lock prefix) must not make the locked add read as
  // a plain one when another thread's access to it traps.
  for (const name of ['norace_barrier', 'norace_atomic']) {
    it(`reports nothing sampling the whole of a race-free program (${name})`, async () => {
      await withSession(async (s) => {
        await launch(s, name, 60);
        const { result } = await hunt(s, { durationMs: 5000 });
        assert.deepStrictEqual(result.reports, []);
        assert.ok(result.stalls >= 3, `stalled ${result.stalls} times`);
      });
    });
  }

  it('a whole-program hunt ends when the program executes another, which then runs intact', async () => {
    await withSession(async (s) => {
      // hunt_exec's own code is sampled; norace_slots (another program, at the same addresses) must never meet it.
      await s.launchToStop({ program: program('hunt_exec'), args: ['2', program('norace_slots'), '1'], stopAtEntry: true, stopMode: 'thread', console: 'internalConsole' });
      const exited = s.dc.waitForEvent('exited', 60_000 * SLOWER);
      const { result } = await hunt(s, { durationMs: 600_000 });
      assert.strictEqual(result.reason, 'exited');
      assert.ok(result.samples > 0, 'the hunt sampled hunt_exec before the exec');
      assert.strictEqual((await exited).body.exitCode, 0);
      await s.waitForOutput('stdout', /norace_slots: \d+ \+ \d+ increments/);
      assert.match(s.output('console'), /executed another program: the race hunt ends/);
    });
  });

  it('stopped midway while attached, leaves the program running untraced and its result intact', async () => {
    const { child, pid } = await startProgram('race_counter', [String(6 * SLOWER)], /race_counter: pid \d+/);
    const output: string[] = [];
    child.stdout!.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      await withSession(async (s) => {
        await Promise.all([s.configure(), s.dc.attachRequest({ pid, stopMode: 'thread' } as DebugProtocol.AttachRequestArguments)]);
        const first = s.dc.waitForEvent('pwatch/race', 30_000 * SLOWER);
        const answered = pwatchRequest(s.dc, 'pwatch/huntRaces', { targets: [{ expression: 'counter' }], durationMs: 600_000 });
        await first;
        await pwatchRequest(s.dc, 'pwatch/stopHunt', {});
        const result = await answered;
        assert.strictEqual(result.reason, 'stopped');
        // No thread is left stopped by the hunt: every task runs (or sleeps), none in a tracing stop.
        await until(() => taskStates(pid).every((state) => state !== 't'), 'no thread of the program is held');
        await s.dc.disconnectRequest({ terminateDebuggee: false });
      });
      await until(() => !processAlive(pid) || processStatus(pid).tracerPid === 0, 'the program is untraced');
      assert.strictEqual(await exited, 0);
      assert.match(output.join(''), /race_counter: \d+ increments/);
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('the Stop button (terminate) during a hunt ends the hunt and kills the program at once', async () => {
    await withSession(async (s) => {
      await launch(s, 'race_counter', 600);
      const first = s.dc.waitForEvent('pwatch/race', 30_000 * SLOWER);
      const answered = pwatchRequest(s.dc, 'pwatch/huntRaces', { targets: [{ expression: 'counter' }], durationMs: 600_000 });
      await s.dc.continueRequest({ threadId: 1 });
      const pid = Number(/race_counter: pid (\d+)/.exec(await s.waitForOutput('stdout', /race_counter: pid \d+/))![1]);
      await first;
      // The program would run for ten minutes and the hunt as long: both end when the user stops the session.
      const terminated = s.dc.waitForEvent('terminated', 20_000 * SLOWER);
      await s.dc.terminateRequest({});
      await terminated;
      assert.strictEqual((await answered).reason, 'exited');
      await until(() => !processAlive(pid), 'the program is gone');
    });
  });

  it('a pause of the thread a hunt holds is reported at once, and the thread stays stopped for the user', async () => {
    await withSession(async (s) => {
      await launch(s, 'race_counter', 600);
      const first = s.dc.waitForEvent('pwatch/race', 30_000 * SLOWER);
      // Windows of 1 s: the held thread (the race's first side) is still held when the pause arrives.
      void pwatchRequest(s.dc, 'pwatch/huntRaces', { targets: [{ expression: 'counter' }], durationMs: 600_000, stallMs: 1000 }).catch(() => undefined);
      await s.dc.continueRequest({ threadId: 1 });
      const held = ((await first).body as RaceEventBody).first.threadId!;
      const stopped = s.dc.waitForEvent('stopped', 5000 * SLOWER);
      await s.dc.pauseRequest({ threadId: held });
      const event = (await stopped).body as DebugProtocol.StoppedEvent['body'];
      assert.deepStrictEqual({ reason: event.reason, threadId: event.threadId }, { reason: 'pause', threadId: held });
      // Its window ends, and it stays where the user paused it: its stack is there to read.
      const frames = await s.dc.stackTraceRequest({ threadId: held, levels: 1 });
      assert.ok(frames.body.stackFrames.length > 0);
      await pwatchRequest(s.dc, 'pwatch/stopHunt', {});
    });
  });

  for (const whole of [false, true]) {
    it(`pwatch/stopHunt while the hunt is starting ends it as soon as it runs (${whole ? 'whole program' : 'a target'})`, async () => {
      await withSession(async (s) => {
        await launch(s, 'race_counter', 600);
        const answered = pwatchRequest(s.dc, 'pwatch/huntRaces', { ...(whole ? {} : { targets: [{ expression: 'counter' }] }), durationMs: 600_000 });
        await pwatchRequest(s.dc, 'pwatch/stopHunt', {});
        await s.dc.continueRequest({ threadId: 1 });
        const result = await answered;
        assert.strictEqual(result.reason, 'stopped');
        assert.ok(result.durationMs < 60_000, `ran ${result.durationMs} ms`);
      });
    });
  }

  it('says what to do when the session stops every thread at once', async () => {
    await withSession(async (s) => {
      await launch(s, 'race_counter', 60, 'all');
      await assert.rejects(s.dc.customRequest('pwatch/huntRaces', { targets: [{ expression: 'counter' }] }), /stopMode.*thread/);
      await assert.rejects(s.dc.customRequest('pwatch/huntRaces', { targets: [{ expression: 'no_such_variable' }], durationMs: 10 }), /no_such_variable|stopMode/);
    });
  });

  it('refuses bad arguments with the reason', async () => {
    await withSession(async (s) => {
      await launch(s, 'race_counter', 60);
      await assert.rejects(s.dc.customRequest('pwatch/huntRaces', { targets: [{ expression: 'no_such_variable' }] }), /no_such_variable/);
      await assert.rejects(s.dc.customRequest('pwatch/huntRaces', { durationMs: -5 }), /durationMs/);
      await assert.rejects(s.dc.customRequest('pwatch/huntRaces', { stallMs: 'x' }), /stallMs/);
      await assert.rejects(s.dc.customRequest('pwatch/stopHunt', {}), /no race hunt/);
      // Not a list, or an empty one, is a mistake, not a request to hunt in the whole program.
      await assert.rejects(s.dc.customRequest('pwatch/huntRaces', { targets: 'counter' }), /'targets' must be a non-empty list/);
      await assert.rejects(s.dc.customRequest('pwatch/huntRaces', { targets: [] }), /'targets' must be a non-empty list/);
      await assert.rejects(s.dc.customRequest('pwatch/huntRaces', { targets: Array.from({ length: 1000 }, () => ({ expression: 'counter' })) }), /at most 4/);
    });
  });
});

function taskStates(pid: number): string[] {
  try {
    return fs.readdirSync(`/proc/${pid}/task`).map((tid) => /^\d+ \(.*\) (\S)/.exec(fs.readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8'))?.[1] ?? '?');
  } catch {
    return [];
  }
}
