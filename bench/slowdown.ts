/**
 * P4 slowdown: the program's CPU work time and its thread create+join rate with one watchpoint armed and
 * never hit, against no debugger at all and against gdb's own `watch`, same program, same run. The
 * program times itself (CLOCK_MONOTONIC) and prints `churn: work_ms=W create_join_per_s=R`.
 */
import { execFile } from 'child_process';
import { DebugProtocol } from '@vscode/debugprotocol';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { miCommand } from '../adapter/gdb/mi/quote';
import { benchProgram, endPwatch, gdbAtLine, markerLineOf, pwatchAtLine } from './drivers';
import { summarize, Summary } from './stats';

const { program: PROGRAM, source: SOURCE } = benchProgram('churn');
const START_LINE = markerLineOf(SOURCE, 'churn-start');
const JOINS = 2000;
const LINE = /churn: work_ms=([\d.]+) create_join_per_s=(\d+)/;

interface Sample {
  workMs: number;
  rate: number;
}

export interface SlowdownRow {
  threads: number;
  mode: 'none' | 'pwatch' | 'gdb-watch';
  workMs: Summary;
  rate: Summary;
}

function parse(text: string): Sample {
  const match = LINE.exec(text);
  if (!match) {
    throw new Error(`churn printed no result: ${JSON.stringify(text.slice(0, 200))}`);
  }
  return { workMs: Number(match[1]), rate: Number(match[2]) };
}

function alone(threads: number): Promise<Sample> {
  return new Promise((resolve, reject) =>
    execFile(PROGRAM, [String(threads), String(JOINS)], (error, stdout) => (error ? reject(error) : resolve(parse(stdout)))),
  );
}

async function underPwatch(threads: number): Promise<Sample> {
  const { dc, stop } = await pwatchAtLine(PROGRAM, [String(threads), String(JOINS)], SOURCE, START_LINE);
  try {
    let output = '';
    dc.on('output', (e: DebugProtocol.OutputEvent) => e.body.category === 'stdout' && (output += e.body.output));
    const info = await dc.dataBreakpointInfoRequest({ name: 'churn_unused' });
    await dc.setDataBreakpointsRequest({ breakpoints: [{ dataId: info.body.dataId!, accessType: 'write' }] });
    const exited = dc.waitForEvent('exited');
    await dc.continueRequest({ threadId: stop.body.threadId! });
    await exited;
    while (!LINE.test(output)) {
      await dc.waitForEvent('output');
    }
    return parse(output);
  } finally {
    await endPwatch(dc);
  }
}

async function underGdb(threads: number): Promise<Sample> {
  const out = path.join(os.tmpdir(), `pwatch-churn-${process.pid}.out`);
  fs.writeFileSync(out, '');
  const { gdb, next } = await gdbAtLine(PROGRAM, [String(threads), String(JOINS)], SOURCE, START_LINE, out);
  try {
    await gdb.send(miCommand('-break-watch', 'churn_unused'));
    const stopped = next('stopped');
    await gdb.send(miCommand('-exec-continue'));
    await stopped; // the program exits: gdb stops with reason exited-normally
    return parse(fs.readFileSync(out, 'utf8'));
  } finally {
    gdb.kill();
    fs.rmSync(out, { force: true });
  }
}

export async function measureSlowdown(threadCounts: number[], runs: number, log: (line: string) => void): Promise<SlowdownRow[]> {
  const rows: SlowdownRow[] = [];
  for (const threads of threadCounts) {
    const modes: Array<[SlowdownRow['mode'], () => Promise<Sample>]> = [
      ['none', () => alone(threads)],
      ['pwatch', () => underPwatch(threads)],
      ['gdb-watch', () => underGdb(threads)],
    ];
    for (const [mode, run] of modes) {
      const samples: Sample[] = [];
      for (let i = 0; i < runs; i++) {
        samples.push(await run());
      }
      const row = { threads, mode, workMs: summarize(samples.map((s) => s.workMs)), rate: summarize(samples.map((s) => s.rate)) };
      rows.push(row);
      log(`  ${threads} threads, ${mode}: work ${row.workMs.median.toFixed(0)} ms, ${row.rate.median.toFixed(0)} create+join/s`);
    }
  }
  return rows;
}

export function slowdownTable(rows: SlowdownRow[]): string {
  const base = (threads: number) => rows.find((r) => r.threads === threads && r.mode === 'none')!;
  return [
    '| threads | debugger | work median ms (× none) | create+join/s median (none ÷ this) |',
    '|---:|---|---:|---:|',
    ...rows.map((r) => {
      const b = base(r.threads);
      return `| ${r.threads} | ${r.mode} | ${r.workMs.median.toFixed(0)} (${(r.workMs.median / b.workMs.median).toFixed(2)}×) | ${r.rate.median.toFixed(0)} (${(b.rate.median / r.rate.median).toFixed(2)}×) |`;
    }),
  ].join('\n');
}
