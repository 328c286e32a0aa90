/**
 * P1 arm latency, pwatch against gdb's own `watch`, same program, same thread count, same run.
 *  - pwatch: setDataBreakpoints request → response that says every thread is covered (no stop needed).
 *  - gdb: `-break-watch` + the resume that writes the debug registers into every thread (gdb inserts
 *    watchpoints when it resumes). gdb answers `^running` before it resumes the other threads (it
 *    commits resumptions in a batch after the command), so the end is the answer to the next command.
 * Usage: node out/bench/armLatency.js [--threads=1,100,1000] [--runs=5]
 */
import { DebugProtocol } from '@vscode/debugprotocol';
import * as os from 'os';
import { miCommand } from '../adapter/gdb/mi/quote';
import { benchProgram, endPwatch, gdbAtLine, markerLineOf, pwatchAtLine } from './drivers';
import { ms, summarize, Summary } from './stats';

const { program: PROGRAM, source: SOURCE } = benchProgram('sleepers');
const READY_LINE = markerLineOf(SOURCE, 'bench-ready');

export interface ArmRow {
  threads: number;
  /** Threads spinning on a CPU besides the sleeping ones. */
  spinning: number;
  pwatch: Summary;
  gdb: Summary;
  ratio: number;
}

async function pwatchArm(threads: number, spinning: number, runs: number): Promise<number[]> {
  const { dc } = await pwatchAtLine(PROGRAM, [String(threads), String(spinning)], SOURCE, READY_LINE);
  try {
    const info = await dc.dataBreakpointInfoRequest({ name: 'bench_target' });
    const breakpoint: DebugProtocol.DataBreakpoint = { dataId: info.body.dataId!, accessType: 'write' };
    const times: number[] = [];
    for (let i = 0; i <= runs; i++) {
      const t0 = process.hrtime.bigint();
      const set = await dc.setDataBreakpointsRequest({ breakpoints: [breakpoint] });
      const t1 = process.hrtime.bigint();
      const message = set.body.breakpoints[0].message ?? '';
      const all = threads + spinning + 1;
      if (!message.startsWith(`armed on ${all} of ${all} threads`)) {
        throw new Error(`pwatch did not cover every thread: ${message}`);
      }
      await dc.setDataBreakpointsRequest({ breakpoints: [] });
      if (i > 0) {
        times.push(Number(t1 - t0) / 1e6); // the first run warms up
      }
    }
    return times;
  } finally {
    await endPwatch(dc);
  }
}

async function gdbArm(threads: number, spinning: number, runs: number): Promise<number[]> {
  const { gdb, next } = await gdbAtLine(PROGRAM, [String(threads), String(spinning)], SOURCE, READY_LINE);
  try {
    const times: number[] = [];
    for (let i = 0; i <= runs; i++) {
      const t0 = process.hrtime.bigint();
      const watch = await gdb.send(miCommand('-break-watch', 'bench_target'));
      await gdb.send(miCommand('-exec-continue'));
      await gdb.send(miCommand('-list-features')); // a fence: answered once every thread was resumed
      const t1 = process.hrtime.bigint();
      const stopped = next('stopped');
      await gdb.send(miCommand('-exec-interrupt'));
      await stopped;
      const number = (watch.wpt as { number?: string } | undefined)?.number;
      await gdb.send(miCommand('-break-delete', Number(number)));
      if (i > 0) {
        times.push(Number(t1 - t0) / 1e6);
      }
    }
    return times;
  } finally {
    gdb.kill();
  }
}

export async function measureArmLatency(threadCounts: number[], runs: number, log: (line: string) => void, spinning = 0): Promise<ArmRow[]> {
  const rows: ArmRow[] = [];
  for (const threads of threadCounts) {
    const pwatch = summarize(await pwatchArm(threads, spinning, runs));
    const gdb = summarize(await gdbArm(threads, spinning, runs));
    rows.push({ threads, spinning, pwatch, gdb, ratio: pwatch.median / gdb.median });
    log(`  ${threads} threads${spinning ? ` + ${spinning} spinning` : ''}: pwatch ${ms(pwatch.median)} ms, gdb ${ms(gdb.median)} ms`);
  }
  return rows;
}

export function armTable(rows: ArmRow[]): string {
  const lines = [
    '| threads | pwatch median (min–max) ms | gdb watch median (min–max) ms | pwatch / gdb |',
    '|---:|---:|---:|---:|',
    ...rows.map(
      (r) =>
        `| ${r.threads}${r.spinning ? ` + ${r.spinning} spinning` : ''} | ${ms(r.pwatch.median)} (${ms(r.pwatch.min)}–${ms(r.pwatch.max)}) | ${ms(r.gdb.median)} (${ms(r.gdb.min)}–${ms(r.gdb.max)}) | ${r.ratio.toFixed(3)} |`,
    ),
  ];
  return lines.join('\n');
}

export function machine(): string {
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  return `${os.hostname()}: Linux ${os.release()}, ${os.cpus().length} × ${cpu}, node ${process.version}`;
}
