/**
 * P3 data logpoint throughput (issue #4): accesses logged per second, each with its thread and pc, while
 * 4 threads write one variable in a tight loop (test-workspace/src/logstorm.c: thread i writes (i+1)*base
 * times). Same program, same run:
 *  - pwatch: a data logpoint (pwatch/setDataLogpoints), counted from its pwatch/logpoint reports;
 *  - gdb-watch: gdb's own `watch` with `commands silent / printf thread, pc / continue end`;
 *  - gdb-dprintf: gdb's `dprintf` on the writing line (a code breakpoint: gdb's fastest way to log a line).
 * Rate = accesses logged / wall time from the resume to the program's exit (as the client sees it).
 */
import { flag, miCommand } from '../adapter/gdb/mi/quote';
import { endPwatch, gdbAtLine, markerLineOf, pwatchAtLine, ROOT } from './drivers';
import { summarize, Summary } from './stats';
import * as path from 'path';
import { onPwatchEvent, pwatchRequest } from '../adapter/protocol/pwatchClient';

const PROGRAM = path.join(ROOT, 'test-workspace', 'bin', 'logstorm');
const SOURCE = path.join(ROOT, 'test-workspace', 'src', 'logstorm.c');
const START_LINE = markerLineOf(SOURCE, 'storm-start');
const WRITE_LINE = markerLineOf(SOURCE, 'storm-write');
const THREADS = 4;
/** Accesses of a run: thread i writes (i+1)*base times, 4 threads: 10 * base. */
const accesses = (base: number) => (base * THREADS * (THREADS + 1)) / 2;

export type LogMode = 'pwatch' | 'gdb-watch' | 'gdb-dprintf';

export interface LogRow {
  mode: LogMode;
  accesses: number;
  /** Accesses logged per second. */
  rate: Summary;
  /** Accesses not logged (lost), per run. */
  missing: number[];
}

async function pwatchRun(base: number): Promise<{ rate: number; missing: number }> {
  const { dc } = await pwatchAtLine(PROGRAM, [String(THREADS), String(base)], SOURCE, START_LINE);
  try {
    let total = 0;
    onPwatchEvent(dc, 'pwatch/logpoint', (body) => (total = Math.max(total, body.total)));
    await pwatchRequest(dc, 'pwatch/setDataLogpoints', { logpoints: [{ expression: 'storm_target' }] });
    const exited = dc.waitForEvent('terminated', 600000);
    const t0 = process.hrtime.bigint();
    await dc.continueRequest({ threadId: 1 });
    await exited;
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    return { rate: total / seconds, missing: accesses(base) - total };
  } finally {
    await endPwatch(dc);
  }
}

/** gdb logs through its console: count our marker in console stream records until the program exits. */
async function gdbRun(base: number, mode: 'gdb-watch' | 'gdb-dprintf'): Promise<{ rate: number; missing: number }> {
  const { gdb } = await gdbAtLine(PROGRAM, [String(THREADS), String(base)], SOURCE, START_LINE);
  try {
    let logged = 0;
    gdb.on('stream', (stream) => {
      logged += stream.text.split('pwatch-bench ').length - 1;
    });
    if (mode === 'gdb-watch') {
      const watch = await gdb.send(miCommand('-break-watch', 'storm_target'));
      const number = Number((watch.wpt as { number?: string }).number);
      await gdb.send(miCommand('-break-commands', number, 'silent', 'printf "pwatch-bench %d %p\\n", $_thread, $pc', 'continue'));
    } else {
      await gdb.send(miCommand('-dprintf-insert', flag('--source'), SOURCE, flag('--line'), WRITE_LINE, 'pwatch-bench %d %p\n', '$_thread', '$pc'));
    }
    // gdb reports every hit as a stop before running its commands: wait for the exit itself.
    const exited = new Promise<void>((resolve) => {
      gdb.on('async', (record) => {
        if (record.kind === 'exec' && record.asyncClass === 'stopped' && String(record.results.reason ?? '').startsWith('exited')) {
          resolve();
        }
      });
    });
    const t0 = process.hrtime.bigint();
    await gdb.send(miCommand('-exec-continue'));
    await exited;
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    return { rate: logged / seconds, missing: accesses(base) - logged };
  } finally {
    gdb.kill();
  }
}

export async function measureLogThroughput(runs: number, pwatchBase: number, gdbBase: number, log: (line: string) => void): Promise<LogRow[]> {
  const rows: LogRow[] = [];
  const modes: Array<[LogMode, number, (base: number) => Promise<{ rate: number; missing: number }>]> = [
    ['pwatch', pwatchBase, pwatchRun],
    ['gdb-watch', gdbBase, (base) => gdbRun(base, 'gdb-watch')],
    ['gdb-dprintf', gdbBase, (base) => gdbRun(base, 'gdb-dprintf')],
  ];
  for (const [mode, base, run] of modes) {
    const results = [];
    for (let i = 0; i < runs; i++) {
      results.push(await run(base));
    }
    const row = { mode, accesses: accesses(base), rate: summarize(results.map((r) => r.rate)), missing: results.map((r) => r.missing) };
    rows.push(row);
    log(`  ${mode}: ${Math.round(row.rate.median).toLocaleString('en-US')} accesses/s (${row.accesses.toLocaleString('en-US')} per run, missing ${row.missing.join('/')})`);
  }
  return rows;
}

export function logTable(rows: LogRow[]): string {
  const pwatch = rows.find((r) => r.mode === 'pwatch')!.rate.median;
  const n = (x: number) => Math.round(x).toLocaleString('en-US');
  return [
    '| logger | accesses per run | logged/s median (min–max) | not logged | pwatch / this |',
    '|---|---:|---:|---:|---:|',
    ...rows.map((r) => `| ${r.mode} | ${n(r.accesses)} | ${n(r.rate.median)} (${n(r.rate.min)}–${n(r.rate.max)}) | ${r.missing.join(', ')} | ${(pwatch / r.rate.median).toFixed(1)}x |`),
  ].join('\n');
}
