/**
 * P7 trap cost (issue #22): silent resumes per second. bench/programs/silent.c writes a new value to `counter`
 * N times and times its loop; a data breakpoint on it whose condition is never true makes every write trap
 * and resume silently. pwatch (all-stop and non-stop) against gdb's `watch` + `condition` on the same program,
 * same run. The program's own loop time over N is the cost of one silent resume, as the program feels it.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { miCommand } from '../adapter/gdb/mi/quote';
import { benchProgram, gdbAtLine, markerLineOf, pwatchAtLine } from './drivers';
import { summarize, Summary } from './stats';

const { program: PROGRAM, source: SOURCE } = benchProgram('silent');
const READY_LINE = markerLineOf(SOURCE, 'silent-ready');

export interface TrapCostRow {
  debugger: 'pwatch-all' | 'pwatch-thread' | 'gdb-watch';
  writes: number;
  /** Silent resumes per second (writes over the loop's time), per run. */
  rate: Summary;
}

function loopMs(text: string): number {
  const match = /writes in ([\d.]+) ms/.exec(text);
  if (!match) {
    throw new Error(`silent printed no time: ${JSON.stringify(text)}`);
  }
  return Number(match[1]);
}

/** A file for the program's result, removed with its folder after `body`. */
async function withResultFile<T>(body: (file: string) => Promise<T>): Promise<T> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pwatch-bench-'));
  try {
    return await body(path.join(dir, 'result'));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function pwatchRun(writes: number, stopMode: 'all' | 'thread'): Promise<number> {
  return withResultFile(async (file) => {
    const { dc, stop } = await pwatchAtLine(PROGRAM, [String(writes), file], SOURCE, READY_LINE, { stopMode, console: 'internalConsole' });
    try {
      const info = await dc.dataBreakpointInfoRequest({ name: 'counter' });
      await dc.setDataBreakpointsRequest({ breakpoints: [{ dataId: info.body.dataId!, accessType: 'write', condition: '0' }] });
      const exited = dc.waitForEvent('exited');
      await dc.continueRequest({ threadId: stop.body.threadId! });
      await exited;
      return writes / (loopMs(fs.readFileSync(file, 'utf8')) / 1000);
    } finally {
      await dc.disconnectRequest({ terminateDebuggee: true }).catch(() => undefined);
      await dc.stop();
    }
  });
}

function gdbRun(writes: number): Promise<number> {
  return withResultFile(async (file) => {
    const { gdb, next } = await gdbAtLine(PROGRAM, [String(writes), file], SOURCE, READY_LINE);
    try {
      const watch = await gdb.send(miCommand('-break-watch', 'counter'));
      const number = String((watch.wpt as { number?: string } | undefined)?.number);
      await gdb.send(miCommand('-break-condition', number, '0'));
      const stopped = next('stopped');
      await gdb.send(miCommand('-exec-continue'));
      await stopped;
      return writes / (loopMs(fs.readFileSync(file, 'utf8')) / 1000);
    } finally {
      gdb.kill();
    }
  });
}

export async function measureTrapCost(writes: number, runs: number, log: (line: string) => void): Promise<TrapCostRow[]> {
  const rows: TrapCostRow[] = [];
  const kinds: Array<[TrapCostRow['debugger'], () => Promise<number>]> = [
    ['pwatch-all', () => pwatchRun(writes, 'all')],
    ['pwatch-thread', () => pwatchRun(writes, 'thread')],
    ['gdb-watch', () => gdbRun(writes)],
  ];
  for (const [name, run] of kinds) {
    const rates: number[] = [];
    for (let i = 0; i < runs; i++) {
      rates.push(await run());
    }
    const row = { debugger: name, writes, rate: summarize(rates) };
    rows.push(row);
    log(`  ${name}: ${Math.round(row.rate.median)} silent resumes/s (${writes} writes, median of ${runs})`);
  }
  return rows;
}

export function trapCostTable(rows: TrapCostRow[]): string {
  const gdb = rows.find((r) => r.debugger === 'gdb-watch')?.rate.median ?? NaN;
  return [
    '| debugger | writes per run | silent resumes/s median (min–max) | µs per silent resume | / gdb |',
    '|---|---:|---:|---:|---:|',
    ...rows.map(
      (r) =>
        `| ${r.debugger} | ${r.writes} | ${Math.round(r.rate.median)} (${Math.round(r.rate.min)}–${Math.round(r.rate.max)}) | ${(1e6 / r.rate.median).toFixed(0)} | ${(r.rate.median / gdb).toFixed(2)}x |`,
    ),
  ].join('\n');
}
