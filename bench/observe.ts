/**
 * O1–O3 observe mode (issue #25): pwatch watching a live process with no tracer, against pwatch's full attach, gdb,
 * and the kernel's floor, side by side in one run.
 *  - O1 attach + arm one data logpoint on N sleeping threads (bench/programs/sleepers.c), end to end as a client
 *    sees it: `attach` (mode observe, or debug) + `configurationDone`, then `pwatch/setDataLogpoints` answered with
 *    every thread covered. gdb: its attach and one watchpoint (as P5).
 *  - O2 thread create+join rate with a data logpoint armed and never hit (bench/programs/churn.c with "wait", so it
 *    starts creating only once armed): no tool, the kernel floor (logfloor with "all": the same events on every
 *    thread, as an attach opens them), observe mode, full attach (debug mode).
 *  - O3 accesses logged per second while 4 threads write one variable (test-workspace/src/logstorm.c with "wait"):
 *    observe mode, full attach, and bench/programs/logfloor.c (the same events and rings, drained in C: what no tool
 *    can beat). Rate = accesses logged / time from the program's go to its exit.
 */
import { DebugClient } from '@vscode/debugadapter-testsupport';
import { DebugProtocol } from '@vscode/debugprotocol';
import { ChildProcess, spawn } from 'child_process';
import * as path from 'path';
import { onPwatchEvent, pwatchRequest } from '../adapter/protocol/pwatchClient';
import { gdbAttach, startSleepers } from './attach';
import { benchProgram, ROOT } from './drivers';
import { ms, summarize, Summary } from './stats';

type Mode = 'observe' | 'debug';

export interface ObserveAttachRow {
  threads: number;
  observe: Summary;
  debug: Summary;
  gdb: Summary;
  /** Threads the logpoint covered (of threads + 1), fewest over the runs: the adapter's open-file limit can stop it. */
  observeCovered: number;
  debugCovered: number;
}

export interface ObserveChurnRow {
  threads: number;
  tool: 'none' | 'kernel floor' | Mode;
  rate: Summary;
}

export interface ObserveLogRow {
  tool: Mode | 'kernel floor';
  accesses: number;
  rate: Summary;
  missing: number[];
}

async function session(pid: number, mode: Mode): Promise<DebugClient> {
  const dc = new DebugClient('node', path.join(ROOT, 'dist', 'adapter.js'), 'pwatch');
  dc.defaultTimeout = 600_000;
  await dc.start();
  await dc.initializeRequest({ adapterID: 'pwatch', pathFormat: 'path', linesStartAt1: true, columnsStartAt1: true });
  // Observing needs no data breakpoint events; a debug attach opens them on every thread: one slot keeps it in bounds.
  await Promise.all([dc.waitForEvent('initialized').then(() => dc.configurationDoneRequest()), dc.attachRequest({ pid, mode, watchSlots: 1 } as DebugProtocol.AttachRequestArguments)]);
  return dc;
}

async function end(dc: DebugClient): Promise<void> {
  await dc.disconnectRequest({ terminateDebuggee: false }).catch(() => undefined);
  await dc.stop().catch(() => undefined);
}

function exitOf(child: ChildProcess): Promise<number> {
  return new Promise((resolve) => child.once('exit', () => resolve(Number(process.hrtime.bigint()) / 1e6)));
}

async function kill(child: ChildProcess): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) {
    const gone = exitOf(child);
    child.kill('SIGKILL');
    await gone;
  }
}

/**
 * O1: ms from the attach request to the logpoint armed, and the threads it covers. Each thread needs one event per CPU
 * (a ring buffer is per CPU); past the adapter's hard open-file limit the rest are missed, and said so.
 */
async function attachAndArm(threads: number, mode: Mode): Promise<{ ms: number; covered: number }> {
  const child = await startSleepers(threads);
  const t0 = process.hrtime.bigint();
  const dc = await session(child.pid!, mode);
  try {
    const [logpoint] = (await pwatchRequest(dc, 'pwatch/setDataLogpoints', { logpoints: [{ expression: 'bench_target' }] })).logpoints;
    const elapsed = Number(process.hrtime.bigint() - t0) / 1e6;
    const armed = /^logging; armed on (\d+) of (\d+) threads/.exec(logpoint.message);
    if (!armed || Number(armed[2]) !== threads + 1 || (Number(armed[1]) < threads + 1 && !/open-file limit/.test(logpoint.message))) {
      throw new Error(`${mode}: the logpoint was not armed as expected: ${logpoint.message.slice(0, 300)}`);
    }
    return { ms: elapsed, covered: Number(armed[1]) };
  } finally {
    await end(dc);
    await kill(child);
  }
}

export async function measureObserveAttach(threadCounts: number[], runs: number, log: (line: string) => void): Promise<ObserveAttachRow[]> {
  const rows: ObserveAttachRow[] = [];
  for (const threads of threadCounts) {
    const times: Record<'observe' | 'debug' | 'gdb', number[]> = { observe: [], debug: [], gdb: [] };
    const covered = { observe: threads + 1, debug: threads + 1 };
    for (let i = 0; i < runs; i++) {
      for (const mode of ['observe', 'debug'] as const) {
        const run = await attachAndArm(threads, mode);
        times[mode].push(run.ms);
        covered[mode] = Math.min(covered[mode], run.covered);
      }
      times.gdb.push(await gdbAttach(threads));
    }
    const row = {
      threads,
      observe: summarize(times.observe),
      debug: summarize(times.debug),
      gdb: summarize(times.gdb),
      observeCovered: covered.observe,
      debugCovered: covered.debug,
    };
    rows.push(row);
    log(`  ${threads} threads: observe ${ms(row.observe.median)} ms, debug ${ms(row.debug.median)} ms, gdb ${ms(row.gdb.median)} ms`);
  }
  return rows;
}

/** Starts `program args... wait` and resolves with it once it printed `ready` (it then waits for a line). */
function startWaiting(program: string, args: string[], ready: RegExp): Promise<{ child: ChildProcess; output: () => string }> {
  const child = spawn(program, [...args, 'wait'], { stdio: ['pipe', 'pipe', 'inherit'] });
  let text = '';
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      if (ready.test(text)) {
        resolve({ child, output: () => text });
      }
    });
    child.once('error', reject);
  });
}

const CHURN = benchProgram('churn').program;
const JOINS = 2000;

/** O2: create+join per second as churn reports it, with `tool` logging churn_unused (never written). */
async function churnRate(threads: number, tool: ObserveChurnRow['tool']): Promise<number> {
  const { child, output } = await startWaiting(CHURN, [String(threads), String(JOINS)], /churn: ready, &churn_unused (0x[0-9a-f]+)/);
  const done = exitOf(child);
  const dc = tool === 'none' || tool === 'kernel floor' ? undefined : await session(child.pid!, tool);
  if (tool === 'kernel floor') {
    await startFloor(child.pid!, /&churn_unused (0x[0-9a-f]+)/.exec(output())![1], true);
  }
  try {
    if (dc) {
      await pwatchRequest(dc, 'pwatch/setDataLogpoints', { logpoints: [{ expression: 'churn_unused' }] });
    }
    child.stdin!.end('go\n');
    await done;
    const match = /create_join_per_s=(\d+)/.exec(output());
    if (!match) {
      throw new Error(`churn printed no result: ${output()}`);
    }
    return Number(match[1]);
  } finally {
    if (dc) {
      await end(dc);
    }
    await kill(child);
  }
}

export async function measureObserveChurn(threadCounts: number[], runs: number, log: (line: string) => void): Promise<ObserveChurnRow[]> {
  const rows: ObserveChurnRow[] = [];
  for (const threads of threadCounts) {
    for (const tool of ['none', 'kernel floor', 'observe', 'debug'] as const) {
      const rates: number[] = [];
      for (let i = 0; i < runs; i++) {
        rates.push(await churnRate(threads, tool));
      }
      rows.push({ threads, tool, rate: summarize(rates) });
      log(`  ${threads} threads, ${tool}: ${summarize(rates).median.toFixed(0)} create+join/s`);
    }
  }
  return rows;
}

const LOGSTORM = path.join(ROOT, 'test-workspace', 'bin', 'logstorm');
const FLOOR = benchProgram('logfloor').program;
/** logstorm's accesses with 4 threads: thread i writes (i+1)*base times. */
const stormAccesses = (base: number) => base * 10;

/**
 * Starts logfloor on `pid` (every thread's own events with `all`) and resolves once it is armed, with its whole
 * output once it ends (with the program).
 */
async function startFloor(pid: number, address: string, all: boolean): Promise<{ ended: Promise<string> }> {
  const counter = spawn(FLOOR, [String(pid), address, ...(all ? ['all'] : [])], { stdio: ['ignore', 'pipe', 'inherit'] });
  let text = '';
  const ended = new Promise<string>((resolve) => {
    counter.stdout!.on('data', (chunk: Buffer) => (text += chunk.toString()));
    counter.once('exit', () => resolve(text));
  });
  while (!text.includes('armed')) {
    await new Promise((resolve) => counter.stdout!.once('data', resolve));
  }
  return { ended };
}

/** O3: accesses logged and the rate, from the go line to the program's exit. */
async function logRun(base: number, tool: ObserveLogRow['tool']): Promise<{ rate: number; missing: number }> {
  const { child, output } = await startWaiting(LOGSTORM, ['4', String(base)], /&storm_target (0x[0-9a-f]+)/);
  const address = /&storm_target (0x[0-9a-f]+)/.exec(output())![1];
  const exited = exitOf(child);
  let logged = 0;
  let dc: DebugClient | undefined;
  let floor: Promise<string> | undefined;
  try {
    if (tool === 'kernel floor') {
      floor = (await startFloor(child.pid!, address, false)).ended;
    } else {
      dc = await session(child.pid!, tool);
      onPwatchEvent(dc, 'pwatch/logpoint', (body) => (logged = Math.max(logged, body.total)));
      await pwatchRequest(dc, 'pwatch/setDataLogpoints', { logpoints: [{ expression: 'storm_target' }] });
    }
    const t0 = Number(process.hrtime.bigint()) / 1e6;
    child.stdin!.end('go\n');
    const t1 = await exited;
    if (floor) {
      logged = Number(/logfloor: (\d+) samples/.exec(await floor)?.[1] ?? 0);
    } else {
      // The last counts arrive within the log stream's flush period (100 ms) of the exit.
      const deadline = Date.now() + 5000;
      while (logged < stormAccesses(base) && Date.now() < deadline) {
        await dc!.waitForEvent('pwatch/logpoint', 1000).catch(() => undefined);
      }
    }
    return { rate: logged / ((t1 - t0) / 1e3), missing: stormAccesses(base) - logged };
  } finally {
    if (dc) {
      await end(dc);
    }
    await kill(child);
  }
}

export async function measureObserveLog(base: number, runs: number, log: (line: string) => void): Promise<ObserveLogRow[]> {
  const rows: ObserveLogRow[] = [];
  for (const tool of ['kernel floor', 'observe', 'debug'] as const) {
    const runsOf: Array<{ rate: number; missing: number }> = [];
    for (let i = 0; i < runs; i++) {
      runsOf.push(await logRun(base, tool));
    }
    const row = { tool, accesses: stormAccesses(base), rate: summarize(runsOf.map((r) => r.rate)), missing: runsOf.map((r) => r.missing) };
    rows.push(row);
    log(`  ${tool}: ${row.rate.median.toFixed(0)} accesses/s, missing ${row.missing.join(',')}`);
  }
  return rows;
}

export function observeTables(attach: ObserveAttachRow[], churn: ObserveChurnRow[], logRows: ObserveLogRow[]): string {
  const none = (threads: number) => churn.find((r) => r.threads === threads && r.tool === 'none')!.rate.median;
  const floor = logRows.find((r) => r.tool === 'kernel floor')!.rate.median;
  return [
    '### O1 attach and arm one data logpoint on N sleeping threads',
    '',
    '| threads | observe median (min–max) ms | threads logged | debug (full attach) ms | threads logged | gdb attach + watch ms | observe / gdb |',
    '|---:|---:|---:|---:|---:|---:|---:|',
    ...attach.map(
      (r) =>
        `| ${r.threads} | ${ms(r.observe.median)} (${ms(r.observe.min)}–${ms(r.observe.max)}) | ${r.observeCovered} of ${r.threads + 1} | ` +
        `${ms(r.debug.median)} | ${r.debugCovered} of ${r.threads + 1} | ${ms(r.gdb.median)} | ${(r.observe.median / r.gdb.median).toFixed(3)} |`,
    ),
    '',
    '### O2 thread create+join rate with a data logpoint armed and never hit',
    '',
    '| sleeping threads | tool | create+join/s median | × no tool |',
    '|---:|---|---:|---:|',
    ...churn.map((r) => `| ${r.threads} | ${r.tool} | ${r.rate.median.toFixed(0)} | ${(r.rate.median / none(r.threads)).toFixed(2)} |`),
    '',
    '### O3 accesses logged per second (4 threads writing one variable)',
    '',
    '| tool | accesses | logged/s median (min–max) | × kernel floor | not logged per run |',
    '|---|---:|---:|---:|---|',
    ...logRows.map(
      (r) =>
        `| ${r.tool} | ${r.accesses} | ${r.rate.median.toFixed(0)} (${r.rate.min.toFixed(0)}–${r.rate.max.toFixed(0)}) | ${(r.rate.median / floor).toFixed(2)} | ${r.missing.join(', ')} |`,
    ),
  ].join('\n');
}
