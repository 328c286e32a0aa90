/**
 * P5 attach: a running process with N sleeping threads (bench/programs/sleepers.c, started without a
 * debugger) is attached to and one data breakpoint armed on every thread, end to end, as a client sees it:
 *  - pwatch: `attach` request → response (gdb attached, every thread given its events), `configurationDone`,
 *    then `setDataBreakpoints` → response saying every thread is covered;
 *  - gdb: `-target-attach` → `*stopped`, `-break-watch`, `-exec-continue` → the answer to the next command
 *    (gdb writes the debug registers into every thread when it resumes them).
 */
import { DebugClient } from '@vscode/debugadapter-testsupport';
import { DebugProtocol } from '@vscode/debugprotocol';
import { ChildProcess, spawn } from 'child_process';
import * as path from 'path';
import { GdbConnection } from '../adapter/gdb/connection';
import { miCliCommand, miCommand } from '../adapter/gdb/mi/quote';
import { MiAsyncRecord } from '../adapter/gdb/mi/types';
import { benchProgram, ROOT } from './drivers';
import { ms, summarize, Summary } from './stats';

const { program: PROGRAM } = benchProgram('sleepers');

export interface AttachRow {
  threads: number;
  pwatch: Summary;
  gdb: Summary;
  ratio: number;
}

/** Starts sleepers with `threads` threads and resolves once they all exist (the tests use it too). */
export function startSleepers(threads: number): Promise<ChildProcess> {
  const child = spawn(PROGRAM, [String(threads)], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let text = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      if (text.includes('threads ready')) {
        resolve(child);
      }
    });
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`sleepers exited with ${code}`)));
  });
}

async function stopProgram(child: ChildProcess): Promise<void> {
  const gone = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await gone;
}

async function pwatchAttach(threads: number): Promise<number> {
  const child = await startSleepers(threads);
  const dc = new DebugClient('node', path.join(ROOT, 'dist', 'adapter.js'), 'pwatch');
  dc.defaultTimeout = 600000;
  await dc.start();
  try {
    await dc.initializeRequest({ adapterID: 'pwatch', pathFormat: 'path', linesStartAt1: true, columnsStartAt1: true });
    const t0 = process.hrtime.bigint();
    await Promise.all([
      dc.waitForEvent('initialized').then(() => dc.configurationDoneRequest()),
      // One data breakpoint needs one slot: at 10,000 threads, 3 slots would need 30,000 descriptors.
      dc.attachRequest({ pid: child.pid, watchSlots: 1 } as DebugProtocol.AttachRequestArguments),
    ]);
    const info = await dc.dataBreakpointInfoRequest({ name: 'bench_target' });
    const set = await dc.setDataBreakpointsRequest({ breakpoints: [{ dataId: info.body.dataId!, accessType: 'write' }] });
    const t1 = process.hrtime.bigint();
    const message = set.body.breakpoints[0].message ?? '';
    if (!message.startsWith(`armed on ${threads + 1} of ${threads + 1} threads`)) {
      throw new Error(`pwatch did not cover every thread: ${message}`);
    }
    return Number(t1 - t0) / 1e6;
  } finally {
    await dc.disconnectRequest({ terminateDebuggee: false }).catch(() => undefined);
    await dc.stop();
    await stopProgram(child);
  }
}

export async function gdbAttach(threads: number): Promise<number> {
  const child = await startSleepers(threads);
  const gdb = GdbConnection.start({ gdbPath: 'gdb', cwd: ROOT, env: process.env });
  const stopped = new Promise<MiAsyncRecord>((resolve) => {
    const on = (record: MiAsyncRecord) => {
      if (record.kind === 'exec' && record.asyncClass === 'stopped') {
        gdb.off('async', on);
        resolve(record);
      }
    };
    gdb.on('async', on);
  });
  try {
    for (const [name, value] of [['mi-async', 'on'], ['confirm', 'off']]) {
      await gdb.send(miCliCommand('-gdb-set', name, value));
    }
    const t0 = process.hrtime.bigint();
    await gdb.send(miCommand('-target-attach', child.pid!));
    await stopped;
    await gdb.send(miCommand('-break-watch', 'bench_target'));
    await gdb.send(miCommand('-exec-continue'));
    await gdb.send(miCommand('-thread-info', 1)); // answered once gdb resumed (and armed) every thread
    return Number(process.hrtime.bigint() - t0) / 1e6;
  } finally {
    gdb.kill();
    await stopProgram(child);
  }
}

export async function measureAttach(threadCounts: number[], runs: number, log: (line: string) => void): Promise<AttachRow[]> {
  const rows: AttachRow[] = [];
  for (const threads of threadCounts) {
    const pwatchRuns: number[] = [];
    const gdbRuns: number[] = [];
    for (let i = 0; i < runs; i++) {
      pwatchRuns.push(await pwatchAttach(threads));
      gdbRuns.push(await gdbAttach(threads));
    }
    const pwatch = summarize(pwatchRuns);
    const gdb = summarize(gdbRuns);
    rows.push({ threads, pwatch, gdb, ratio: pwatch.median / gdb.median });
    log(`  ${threads} threads: pwatch ${ms(pwatch.median)} ms, gdb ${ms(gdb.median)} ms`);
  }
  return rows;
}

export function attachTable(rows: AttachRow[]): string {
  return [
    '| threads | pwatch median (min–max) ms | gdb median (min–max) ms | pwatch / gdb |',
    '|---:|---:|---:|---:|',
    ...rows.map(
      (r) => `| ${r.threads} | ${ms(r.pwatch.median)} (${ms(r.pwatch.min)}–${ms(r.pwatch.max)}) | ${ms(r.gdb.median)} (${ms(r.gdb.min)}–${ms(r.gdb.max)}) | ${r.ratio.toFixed(3)} |`,
    ),
  ].join('\n');
}
