import * as assert from 'assert';
import { DebugProtocol } from '@vscode/debugprotocol';
import * as path from 'path';
import { ROOT, Session, suite } from './harness';
import { ChildProcess, spawn } from 'child_process';

const THREADS = 2000;

/** bench/bin/sleepers: THREADS sleeping threads, started outside the debugger. */
async function startSleepers(): Promise<ChildProcess> {
  const child = spawn(path.join(ROOT, 'bench', 'bin', 'sleepers'), [String(THREADS)], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise((resolve) => child.stdout!.once('data', resolve));
  return child;
}

async function attachWithProgress(s: Session, pid: number, onStart?: (e: DebugProtocol.ProgressStartEvent) => void): Promise<string[]> {
  const events: string[] = [];
  s.dc.on('progressStart', (e: DebugProtocol.ProgressStartEvent) => {
    events.push(`start ${e.body.cancellable}`);
    onStart?.(e);
  });
  s.dc.on('progressUpdate', (e: DebugProtocol.ProgressUpdateEvent) => events.push(`update ${e.body.percentage}`));
  s.dc.on('progressEnd', (e: DebugProtocol.ProgressEndEvent) => events.push(`end ${e.body.message ?? ''}`.trim()));
  await s.dc.initializeRequest({ adapterID: 'pwatch', pathFormat: 'path', supportsProgressReporting: true });
  await Promise.all([s.configure(), s.dc.attachRequest({ pid } as DebugProtocol.AttachRequestArguments)]);
  return events;
}

suite(`attach to ${THREADS} threads: progress and cancel`, 'watchpoints', 3, () => {
  it('reports progress while opening watch events on every thread, then covers them all', async () => {
    const child = await startSleepers();
    const s = await new Session().start();
    try {
      const events = await attachWithProgress(s, child.pid!);
      assert.strictEqual(events[0], 'start true');
      assert.strictEqual(events[events.length - 1], 'end');
      assert.ok(events.filter((e) => e.startsWith('update')).length >= 10, events.join(', '));
      assert.ok(events.includes('update 100'));
      const [bp] = await s.watchGlobals({ name: 'bench_target' });
      assert.strictEqual(bp.message, `armed on ${THREADS + 1} of ${THREADS + 1} threads`);
    } finally {
      await s.close();
      child.kill('SIGKILL');
    }
  });

  it('cancelling leaves the remaining threads unwatched and says so', async () => {
    const child = await startSleepers();
    const s = await new Session().start();
    try {
      let cancelled: Promise<unknown> = Promise.resolve();
      const events = await attachWithProgress(s, child.pid!, (e) => {
        cancelled = s.dc.customRequest('cancel', { progressId: e.body.progressId });
      });
      await cancelled;
      assert.strictEqual(events[events.length - 1], 'end cancelled: the remaining threads are not watched');
      const [bp] = await s.watchGlobals({ name: 'bench_target' });
      const covered = Number(/^armed on (\d+) of (\d+) threads; missed: tid \d+ \(not watched: opening its events was cancelled\)/.exec(bp.message ?? '')?.[1]);
      assert.ok(covered > 0 && covered < THREADS + 1, bp.message);
      await assert.rejects(s.dc.customRequest('cancel', { progressId: 'pwatch-1' }), /nothing to cancel/);
    } finally {
      await s.close();
      child.kill('SIGKILL');
    }
  });
});
