/**
 * P7 trap cost (issue #22): silent resumes per second. bench/programs/silent.c writes a new value to `counter`
 * N times and times its loop; a data breakpoint on it whose condition is never true makes every write trap
 * and resume silently. pwatch (all-stop and non-stop) against gdb's `watch` + `condition` on the same program,
 * same run. The program's own loop time over N is the cost of one silent resume, as the program feels it.
 */
import { DebugProtocol } from '@vscode/debugprotocol';
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

async function pwatchRun(writes: number, stopMode: 'all' | 'thread'): Promise<number> {
  const { dc, stop } = await pwatchAtLine(PROGRAM, [String(writes)], SOURCE, READY_LINE, { stopMode, console: 'internalConsole' });
  try {
    let out = '';
    dc.on('output', (e: DebugProtocol.OutputEvent) => (out += e.body.category === 'stdout' ? e.body.output : ''));
    const info = await dc.dataBreakpointInfoRequest({ name: 'counter' });
    await dc.setDataBreakpointsRequest({ breakpoints: [{ dataId: info.body.dataId!, accessType: 'write', condition: '0' }] });
    const exited = dc.waitForEvent('exited');
    await dc.continueRequest({ threadId: stop.body.threadId! });
    await exited;
    while (!/writes in/.test(out)) {
      await dc.waitForEvent('output', 5000);
    }
    return writes / (loopMs(out) / 1000);
  } finally {
    await dc.disconnectRequest({ terminateDebuggee: true }).catch(() => undefined);
    await dc.stop();
  }
}

async function gdbRun(writes: number): Promise<number> {
  const output = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'pwatch-bench-')), 'out');
  fs.writeFileSync(output, '');
  const { gdb, next } = await gdbAtLine(PROGRAM, [String(writes)], SOURCE, READY_LINE, output);
  try {
    const watch = await gdb.send(miCommand('-break-watch', 'counter'));
    const number = String((watch.wpt as { number?: string } | undefined)?.number);
    await gdb.send(miCommand('-break-condition', number, '0'));
    const stopped = next('stopped');
    await gdb.send(miCommand('-exec-continue'));
    await stopped;
    return writes / (loopMs(fs.readFileSync(output, 'utf8')) / 1000);
  } finally {
    gdb.kill();
    fs.rmSync(path.dirname(output), { recursive: true, force: true });
  }
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
