/**
 * P1 arm latency, pwatch against gdb's own `watch`, same program, same thread count, same run.
 *  - pwatch: setDataBreakpoints request → response that says every thread is covered (no stop needed).
 *  - gdb: `-break-watch` + the resume that writes the debug registers into every thread (gdb inserts
 *    watchpoints when it resumes). gdb answers `^running` before it resumes the other threads (it
 *    commits resumptions in a batch after the command), so the end is the answer to the next command.
 * Usage: node out/bench/armLatency.js [--threads=1,100,1000] [--runs=5]
 */
import { DebugClient } from '@vscode/debugadapter-testsupport';
import { DebugProtocol } from '@vscode/debugprotocol';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { GdbConnection } from '../adapter/gdb/connection';
import { miCliCommand, miCommand } from '../adapter/gdb/mi/quote';
import { MiAsyncRecord } from '../adapter/gdb/mi/types';
import { ms, summarize, Summary } from './stats';

const ROOT = path.resolve(__dirname, '..', '..');
const PROGRAM = path.join(ROOT, 'bench', 'bin', 'sleepers');
const SOURCE = path.join(ROOT, 'bench', 'programs', 'sleepers.c');
const READY_LINE = fs.readFileSync(SOURCE, 'utf8').split('\n').findIndex((l) => l.includes('/* BP:bench-ready */')) + 1;

export interface ArmRow {
  threads: number;
  pwatch: Summary;
  gdb: Summary;
  ratio: number;
}

async function pwatchArm(threads: number, runs: number): Promise<number[]> {
  const dc = new DebugClient('node', path.join(ROOT, 'dist', 'adapter.js'), 'pwatch');
  dc.defaultTimeout = 120000;
  await dc.start();
  try {
    const stopped = dc.waitForEvent('stopped');
    await Promise.all([
      (async () => {
        await dc.waitForEvent('initialized');
        await dc.setBreakpointsRequest({ source: { path: SOURCE }, breakpoints: [{ line: READY_LINE }] });
        await dc.configurationDoneRequest();
      })(),
      dc.launch({ program: PROGRAM, args: [String(threads)] }),
    ]);
    await stopped;
    const info = await dc.dataBreakpointInfoRequest({ name: 'bench_target' });
    const breakpoint: DebugProtocol.DataBreakpoint = { dataId: info.body.dataId!, accessType: 'write' };
    const times: number[] = [];
    for (let i = 0; i <= runs; i++) {
      const t0 = process.hrtime.bigint();
      const set = await dc.setDataBreakpointsRequest({ breakpoints: [breakpoint] });
      const t1 = process.hrtime.bigint();
      const message = set.body.breakpoints[0].message ?? '';
      if (!message.startsWith(`armed on ${threads + 1} of ${threads + 1} threads`)) {
        throw new Error(`pwatch did not cover every thread: ${message}`);
      }
      await dc.setDataBreakpointsRequest({ breakpoints: [] });
      if (i > 0) {
        times.push(Number(t1 - t0) / 1e6); // the first run warms up
      }
    }
    return times;
  } finally {
    await dc.disconnectRequest({ terminateDebuggee: true }).catch(() => undefined);
    await dc.stop();
  }
}

async function gdbArm(threads: number, runs: number): Promise<number[]> {
  const gdb = GdbConnection.start({ gdbPath: 'gdb', cwd: ROOT, env: process.env });
  const waitFor = (cls: string) =>
    new Promise<void>((resolve) => {
      const on = (record: MiAsyncRecord) => {
        if (record.kind === 'exec' && record.asyncClass === cls) {
          gdb.off('async', on);
          resolve();
        }
      };
      gdb.on('async', on);
    });
  try {
    for (const [name, value] of [['mi-async', 'on'], ['startup-with-shell', 'off'], ['confirm', 'off']]) {
      await gdb.send(miCliCommand('-gdb-set', name, value));
    }
    await gdb.send(miCommand('-file-exec-and-symbols', PROGRAM));
    await gdb.send(miCommand('-inferior-tty-set', '/dev/null'));
    await gdb.send(miCliCommand('-exec-arguments', String(threads)));
    await gdb.send(miCommand('-break-insert', '--source', SOURCE, '--line', READY_LINE));
    let stopped = waitFor('stopped');
    await gdb.send(miCommand('-exec-run'));
    await stopped;
    const times: number[] = [];
    for (let i = 0; i <= runs; i++) {
      const t0 = process.hrtime.bigint();
      const watch = await gdb.send(miCommand('-break-watch', 'bench_target'));
      await gdb.send(miCommand('-exec-continue'));
      await gdb.send(miCommand('-list-features')); // a fence: answered once every thread was resumed
      const t1 = process.hrtime.bigint();
      stopped = waitFor('stopped');
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

export async function measureArmLatency(threadCounts: number[], runs: number, log: (line: string) => void): Promise<ArmRow[]> {
  const rows: ArmRow[] = [];
  for (const threads of threadCounts) {
    const pwatch = summarize(await pwatchArm(threads, runs));
    const gdb = summarize(await gdbArm(threads, runs));
    rows.push({ threads, pwatch, gdb, ratio: pwatch.median / gdb.median });
    log(`  ${threads} threads: pwatch ${ms(pwatch.median)} ms, gdb ${ms(gdb.median)} ms`);
  }
  return rows;
}

export function armTable(rows: ArmRow[]): string {
  const lines = [
    '| threads | pwatch median (min–max) ms | gdb watch median (min–max) ms | pwatch / gdb |',
    '|---:|---:|---:|---:|',
    ...rows.map(
      (r) =>
        `| ${r.threads} | ${ms(r.pwatch.median)} (${ms(r.pwatch.min)}–${ms(r.pwatch.max)}) | ${ms(r.gdb.median)} (${ms(r.gdb.min)}–${ms(r.gdb.max)}) | ${r.ratio.toFixed(3)} |`,
    ),
  ];
  return lines.join('\n');
}

export function machine(): string {
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  return `${os.hostname()}: Linux ${os.release()}, ${os.cpus().length} × ${cpu}, node ${process.version}`;
}
