import * as assert from 'assert';
import { DebugProtocol } from '@vscode/debugprotocol';
import { DebugClient } from '@vscode/debugadapter-testsupport';
import { ADAPTER, markerLine, program, Session, sourceOf, startProgram, suite, TIMEOUT, withSession } from './harness';

interface LogpointEvent {
  id: number;
  label: string;
  total: number;
  lost: number;
  perThread: Array<{ tid: number; threadId?: number; count: number }>;
  hits: Array<{ tid: number; pc: string; function?: string; file?: string; line?: number; value?: string }>;
}

function collect(s: Session): LogpointEvent[] {
  const events: LogpointEvent[] = [];
  s.dc.on('pwatch/logpoint', (e: DebugProtocol.Event) => events.push(e.body));
  return events;
}

/** What logstorm says each thread did: tid → writes. */
function writesPerThread(stdout: string): Map<number, number> {
  const counts = new Map<number, number>();
  for (const m of stdout.matchAll(/logstorm: thread \d+ tid (\d+) wrote (\d+) times/g)) {
    counts.set(Number(m[1]), Number(m[2]));
  }
  return counts;
}

async function setLogpoints(s: Session, logpoints: object[]): Promise<Array<{ id?: number; verified: boolean; message: string }>> {
  const response = await s.dc.customRequest('pwatch/setDataLogpoints', { logpoints });
  return response.body.logpoints;
}

suite('data logpoints', 'watchpoints', 3, () => {
  it('logs every write of every thread without stopping, counted exactly per thread', async () => {
    await withSession(async (s) => {
      const events = collect(s);
      await s.launchToStop({ program: program('logstorm'), args: ['4', '5000'], stopAtEntry: true });
      const [logpoint] = await setLogpoints(s, [{ expression: 'storm_target' }]);
      assert.strictEqual(logpoint.verified, true, logpoint.message);
      assert.match(logpoint.message, /^logging; armed on 1 of 1 threads$/);
      let stops = 0;
      s.dc.on('stopped', () => stops++);
      const terminated = s.dc.waitForEvent('terminated', 60000);
      await s.dc.continueRequest({ threadId: 1 });
      await terminated;
      assert.strictEqual(stops, 0, 'a data logpoint never stops the program');
      const expected = writesPerThread(s.output('stdout'));
      assert.strictEqual(expected.size, 4, s.output('stdout'));
      const last = events.filter((e) => e.id === logpoint.id).pop()!;
      const logged = new Map(last.perThread.map((t) => [t.tid, t.count]));
      assert.deepStrictEqual(logged, expected, 'logged accesses per thread = the writes each thread made');
      assert.strictEqual(last.total, 5000 + 10000 + 15000 + 20000);
      assert.strictEqual(last.lost, 0);
      // Symbolised without stopping: the accesses are on the marked line, in storm().
      const shown = events.flatMap((e) => e.hits);
      assert.ok(shown.length > 0);
      const line = markerLine('logstorm', 'storm-write');
      assert.ok(shown.some((h) => h.function === 'storm' && h.line === line && h.file === sourceOf('logstorm')), JSON.stringify(shown.slice(0, 3)));
      assert.match(s.output('console'), new RegExp(`storm_target: tid \\d+ (\\(thread \\d+\\) )?in storm \\(logstorm\\.c:${line}\\)`));
      assert.match(s.output('console'), /storm_target: [\d,]+ accesses from \d threads? since the last report/);
    });
  });

  it('counts what the buffers could not hold: logged + lost = the accesses made (one-page buffers)', async () => {
    const client = new DebugClient('node', ADAPTER, 'pwatch', { env: { ...process.env, PWATCH_LOG_RING_PAGES: '1' } }, true);
    const s = await new Session(client).start();
    try {
      const events = collect(s);
      await s.launchToStop({ program: program('logstorm'), args: ['4', '20000'], stopAtEntry: true });
      const [logpoint] = await setLogpoints(s, [{ expression: 'storm_target' }]);
      assert.strictEqual(logpoint.verified, true, logpoint.message);
      const terminated = s.dc.waitForEvent('terminated', TIMEOUT * 3);
      await s.dc.continueRequest({ threadId: 1 });
      await terminated;
      const last = events.filter((e) => e.id === logpoint.id).pop()!;
      const made = [...writesPerThread(s.output('stdout')).values()].reduce((a, b) => a + b, 0);
      assert.strictEqual(made, 200000);
      assert.ok(last.lost > 0, `a 4 KiB buffer per CPU cannot hold 200,000 accesses (logged ${last.total})`);
      assert.strictEqual(last.total + last.lost, made, `logged ${last.total} + lost ${last.lost}`);
      assert.match(s.output('console'), /data logpoints: [\d,]+ accesses lost \(the buffers filled faster than they were read\)/);
    } finally {
      await s.close();
    }
  });

  it('reports the threads whose debug registers are all taken as missed, with the reason', async () => {
    const { child, line } = await startProgram('hog', ['2', '2', '60'], /hog: pid (\d+) hogs ([\d ]+)\n/);
    try {
      const [, pid, hogs] = /hog: pid (\d+) hogs ([\d ]+)/.exec(line)!;
      const hogTids = hogs.trim().split(' ').map(Number).sort((a, b) => a - b);
      await withSession(async (s) => {
        await Promise.all([s.configure(), s.dc.attachRequest({ pid: Number(pid) } as DebugProtocol.AttachRequestArguments)]);
        const [logpoint] = await setLogpoints(s, [{ expression: 'hog_counter' }]);
        assert.strictEqual(logpoint.verified, true);
        assert.match(logpoint.message, /^logging; armed on 3 of 5 threads; missed: tid \d+ \(no free debug register/);
        const report = s.coverage.find((c) => c.id === logpoint.id)! as (typeof s.coverage)[number] & { kind: string };
        assert.strictEqual(report.kind, 'logpoint');
        assert.deepStrictEqual(report.missed.map((m) => m.tid), hogTids);
        assert.ok(report.missed.every((m) => m.errno === 28));
      });
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('refuses what it cannot log with the cause and the fix, and keeps the rest', async () => {
    await withSession(async (s) => {
      await s.launchToStop({ program: program('threads') }, { [sourceOf('threads')]: [{ line: markerLine('threads', 'main-add') }] });
      const frameId = (await s.dc.stackTraceRequest({ threadId: 1 })).body.stackFrames[0].id;
      const results = await setLogpoints(s, [
        { expression: 'shared_counter' },
        { expression: 'global_config' },
        { expression: 'local_config.origin.x', frameId },
        { expression: 'no_such_variable' },
        { address: '0x1001', bytes: 8 },
      ]);
      assert.deepStrictEqual(results.map((r) => r.verified), [true, false, false, false, false]);
      assert.match(results[1].message, /need \d debug registers, but 0 of 1 logpoint registers are free: .*logpointSlots/);
      assert.match(results[2].message, /cannot follow a local .* log its address instead/);
      assert.match(results[3].message, /no_such_variable/);
      assert.match(results[4].message, /0x1001/);
      // Setting the same set again keeps the logpoint (same id); an empty set removes it.
      const again = await setLogpoints(s, [{ expression: 'shared_counter' }]);
      assert.strictEqual(again[0].id, results[0].id);
      assert.deepStrictEqual(await setLogpoints(s, []), []);
    });
  });

  it('says data logpoints are off when logpointSlots is 0, while data breakpoints keep all four registers', async () => {
    await withSession(async (s) => {
      await s.launchToStop({ program: program('threads'), stopAtEntry: true, logpointSlots: 0 });
      await assert.rejects(setLogpoints(s, [{ expression: 'shared_counter' }]), /data logpoints are off: 'logpointSlots' is 0/);
      const [bp] = await s.watchGlobals({ name: 'global_config', accessType: 'write' });
      assert.strictEqual(bp.verified, true, bp.message);
    });
  });
});
