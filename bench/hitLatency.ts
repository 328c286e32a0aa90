/**
 * P2 hit latency and the other threads' progress during a stop (issue #8), with N sleeping threads, a
 * thread that counts as fast as it can, and a writer. Same program, same run:
 *  - pwatch, stopMode "thread" (non-stop: only the writer stops),
 *  - pwatch, stopMode "all",
 *  - gdb's own `watch` over MI (all-stop).
 * Latency: the writer's CLOCK_MONOTONIC time just before the write → the stop arriving here (DAP
 * `stopped` / MI `*stopped`), both on CLOCK_MONOTONIC. Progress: the counter's rate while the writer is
 * stopped (50 ms window, read from /proc/PID/mem), over its rate with nothing armed.
 */
import { DebugClient } from '@vscode/debugadapter-testsupport';
import { DebugProtocol } from '@vscode/debugprotocol';
import { miCommand } from '../adapter/gdb/mi/quote';
import { benchProgram, DirectGdb, endPwatch, gdbAtLine, markerLineOf, pwatchAtLine, readLong } from './drivers';
import { ms, summarize, Summary } from './stats';

const { program: PROGRAM, source: SOURCE } = benchProgram('hitter');
const READY_LINE = markerLineOf(SOURCE, 'hitter-ready');
const WINDOW_MS = 50;

export type HitMode = 'pwatch-thread' | 'pwatch-all' | 'gdb-watch';

export interface HitRow {
  threads: number;
  mode: HitMode;
  latency: Summary;
  /** Counter rate during a stop over its rate with nothing armed (1 = unaffected). */
  progress: Summary;
}

const sleep = (msec: number) => new Promise((resolve) => setTimeout(resolve, msec));

/**
 * The counter's unwatched rate. After a resume gdb may still be resuming thousands of threads (it commits
 * resumptions in a batch), so wait until the counter moves, for up to 30 s.
 */
async function baseRate(pid: number, counter: bigint): Promise<number> {
  const deadline = Date.now() + 30000;
  let value = await rate(pid, counter);
  while (value === 0 && Date.now() < deadline) {
    value = await rate(pid, counter);
  }
  return value;
}

/** Counter increments per ms, over a window, read while the program runs. */
async function rate(pid: number, counter: bigint): Promise<number> {
  const a = readLong(pid, counter);
  const t0 = process.hrtime.bigint();
  await sleep(WINDOW_MS);
  const b = readLong(pid, counter);
  return Number(b - a) / (Number(process.hrtime.bigint() - t0) / 1e6);
}

async function evaluate(dc: DebugClient, expression: string, frameId?: number): Promise<string> {
  return (await dc.evaluateRequest({ expression, frameId, context: 'watch' })).body.result;
}

async function pwatchHits(threads: number, hits: number, stopMode: 'thread' | 'all'): Promise<{ latency: number[]; progress: number[] }> {
  const { dc, stop } = await pwatchAtLine(PROGRAM, [String(threads)], SOURCE, READY_LINE, { stopMode });
  try {
    const frame = (await dc.stackTraceRequest({ threadId: stop.body.threadId!, levels: 1 })).body.stackFrames[0];
    // No call into the program (some CPUs break gdb's inferior calls): the main thread's tid is the pid.
    const main = (await dc.threadsRequest()).body.threads.find((t) => t.id === 1);
    const pid = Number(/tid (\d+)/.exec(main?.name ?? '')?.[1]);
    const counter = BigInt(/0x[0-9a-f]+/.exec(await evaluate(dc, '&progress', frame.id))![0]);
    const info = await dc.dataBreakpointInfoRequest({ name: 'hit_target' });
    await dc.continueRequest({ threadId: stop.body.threadId! });
    const base = await baseRate(pid, counter);
    await dc.setDataBreakpointsRequest({ breakpoints: [{ dataId: info.body.dataId!, accessType: 'write' }] });
    const latency: number[] = [];
    const progress: number[] = [];
    for (let i = 0; i < hits; i++) {
      const hit = (await dc.waitForEvent('stopped')) as DebugProtocol.StoppedEvent;
      const arrived = process.hrtime.bigint();
      const top = (await dc.stackTraceRequest({ threadId: hit.body.threadId!, levels: 1 })).body.stackFrames[0];
      const written = BigInt(await evaluate(dc, 'last_write_ns', top.id));
      latency.push(Number(arrived - written) / 1e6);
      progress.push((await rate(pid, counter)) / base);
      await dc.continueRequest({ threadId: hit.body.threadId! });
    }
    return { latency, progress };
  } finally {
    await endPwatch(dc);
  }
}

/** The program's pid from gdb's thread group, without calling into the program. */
async function inferiorPid(gdb: DirectGdb['gdb']): Promise<number> {
  const groups = (await gdb.send(miCommand('-list-thread-groups'))).groups as Array<{ pid?: string }> | undefined;
  return Number(groups?.[0]?.pid);
}

async function gdbHits(threads: number, hits: number): Promise<{ latency: number[]; progress: number[] }> {
  const direct: DirectGdb = await gdbAtLine(PROGRAM, [String(threads)], SOURCE, READY_LINE);
  const { gdb, next } = direct;
  const value = async (expression: string) => String((await gdb.send(miCommand('-data-evaluate-expression', expression))).value);
  try {
    const pid = await inferiorPid(gdb);
    const counter = BigInt(/0x[0-9a-f]+/.exec(await value('&progress'))![0]);
    await gdb.send(miCommand('-exec-continue'));
    const base = await baseRate(pid, counter);
    let stopped = next('stopped');
    await gdb.send(miCommand('-exec-interrupt'));
    await stopped;
    await gdb.send(miCommand('-break-watch', 'hit_target'));
    const latency: number[] = [];
    const progress: number[] = [];
    for (let i = 0; i < hits; i++) {
      stopped = next('stopped');
      await gdb.send(miCommand('-exec-continue'));
      await stopped;
      const arrived = process.hrtime.bigint();
      latency.push(Number(arrived - BigInt(await value('last_write_ns'))) / 1e6);
      progress.push((await rate(pid, counter)) / base);
    }
    return { latency, progress };
  } finally {
    gdb.kill();
  }
}

export async function measureHitLatency(threadCounts: number[], hits: number, log: (line: string) => void): Promise<HitRow[]> {
  const rows: HitRow[] = [];
  for (const threads of threadCounts) {
    const runs: Array<[HitMode, () => Promise<{ latency: number[]; progress: number[] }>]> = [
      ['pwatch-thread', () => pwatchHits(threads, hits, 'thread')],
      ['pwatch-all', () => pwatchHits(threads, hits, 'all')],
      ['gdb-watch', () => gdbHits(threads, hits)],
    ];
    for (const [mode, run] of runs) {
      const result = await run();
      const row = { threads, mode, latency: summarize(result.latency), progress: summarize(result.progress) };
      rows.push(row);
      log(`  ${threads} threads, ${mode}: hit latency ${ms(row.latency.median)} ms, progress during stop ${(row.progress.median * 100).toFixed(0)}%`);
    }
  }
  return rows;
}

export function hitTable(rows: HitRow[]): string {
  return [
    '| threads | debugger | hit latency median (min–max) ms | other threads’ progress during a stop (median) |',
    '|---:|---|---:|---:|',
    ...rows.map(
      (r) =>
        `| ${r.threads} | ${r.mode} | ${ms(r.latency.median)} (${ms(r.latency.min)}–${ms(r.latency.max)}) | ${(r.progress.median * 100).toFixed(0)}% |`,
    ),
  ].join('\n');
}
