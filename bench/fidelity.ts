/**
 * P6 fidelity (issue #22): are the writes a data breakpoint sees the writes the program made, each in the
 * thread that made it, with the value it wrote? Same programs, same run, three debuggers: pwatch all-stop,
 * pwatch non-stop (stopMode "thread"), gdb's own `watch` (all-stop, over MI).
 *  - racers N x K (test-workspace/src/racers.c): N threads released together by a barrier each write
 *    tid * 1000000 + round, K rounds. Reported = distinct written values seen at stops; attributed = stops whose
 *    value was written by the thread the stop names.
 *  - steps (test-workspace/src/steps.c): one write made inside a single step: `next` over it, `stepi` over it,
 *    and continuing from a breakpoint on the writing line (gdb steps over the breakpoint).
 */
import { DebugClient } from '@vscode/debugadapter-testsupport';
import { DebugProtocol } from '@vscode/debugprotocol';
import * as path from 'path';
import { GdbConnection } from '../adapter/gdb/connection';
import { miCliCommand, miCommand } from '../adapter/gdb/mi/quote';
import { MiAsyncRecord, MiTuple } from '../adapter/gdb/mi/types';
import { markerLineOf, pwatchStopped, ROOT } from './drivers';

export type FidelityDebugger = 'pwatch-all' | 'pwatch-thread' | 'gdb-watch';

export interface FidelityRow {
  case: string;
  debugger: FidelityDebugger;
  made: number;
  reported: number;
  attributed: number;
  /** Wall time from the first resume to the program's end, over the stops: the cost of one reported stop. */
  msPerStop?: number;
}

const RACERS = path.join(ROOT, 'test-workspace', 'bin', 'racers');
const STEPS = path.join(ROOT, 'test-workspace', 'bin', 'steps');
const STEPS_SOURCE = path.join(ROOT, 'test-workspace', 'src', 'steps.c');

interface Seen {
  values: number[];
  tids: number[];
  ms: number;
}

function score(name: string, debuggerName: FidelityDebugger, made: number, seen: Seen): FidelityRow {
  const distinct = new Set(seen.values);
  const attributed = seen.values.filter((value, i) => Math.floor(value / 1e6) === seen.tids[i]).length;
  return { case: name, debugger: debuggerName, made, reported: distinct.size, attributed, msPerStop: seen.values.length && seen.ms > 0 ? seen.ms / seen.values.length : undefined };
}

function pwatchSession(program: string, args: string[], launch: Record<string, unknown>, breakpointLine?: number): Promise<{ dc: DebugClient; stop: DebugProtocol.StoppedEvent }> {
  const at = breakpointLine === undefined ? undefined : { source: STEPS_SOURCE, line: breakpointLine };
  return pwatchStopped(program, args, { console: 'internalConsole', ...launch }, at);
}

async function watch(dc: DebugClient, name: string): Promise<void> {
  const info = await dc.dataBreakpointInfoRequest({ name });
  await dc.setDataBreakpointsRequest({ breakpoints: [{ dataId: info.body.dataId!, accessType: 'write' }] });
}

async function pwatchRacers(threads: number, rounds: number, stopMode: 'all' | 'thread'): Promise<Seen> {
  const { dc, stop } = await pwatchSession(RACERS, [String(threads), String(rounds)], { stopAtEntry: true, stopMode });
  try {
    await watch(dc, 'race_target');
    const tidOf = new Map<number, number>();
    const queue: DebugProtocol.StoppedEvent[] = [];
    dc.on('stopped', (e: DebugProtocol.StoppedEvent) => queue.push(e));
    let ended = false;
    const exited = dc.waitForEvent('exited').then(() => (ended = true));
    const seen: Seen = { values: [], tids: [], ms: 0 };
    const started = process.hrtime.bigint();
    await dc.continueRequest({ threadId: stop.body.threadId! });
    while (!ended) {
      const next = queue.shift();
      if (!next) {
        await Promise.race([dc.waitForEvent('stopped'), exited]);
        continue;
      }
      const threadId = next.body.threadId!;
      // A thread's tid is known once gdb has listed it: ask again while it is not.
      if (!tidOf.get(threadId)) {
        for (const t of (await dc.threadsRequest()).body.threads) {
          tidOf.set(t.id, Number(/\(tid (\d+)\)/.exec(t.name)?.[1]));
        }
      }
      seen.values.push(Number(/ → (\d+)/.exec(next.body.text ?? '')?.[1]));
      seen.tids.push(tidOf.get(threadId) ?? -1);
      await dc.continueRequest({ threadId });
    }
    seen.ms = Number(process.hrtime.bigint() - started) / 1e6;
    return seen;
  } finally {
    await dc.disconnectRequest({ terminateDebuggee: true }).catch(() => undefined);
    await dc.stop();
  }
}

/** gdb over MI, all-stop, its program started and stopped at `main` (or at `line` of steps.c). */
async function gdbSession(program: string, args: string[], line?: number): Promise<{ gdb: GdbConnection; next: () => Promise<MiAsyncRecord> }> {
  const gdb = GdbConnection.start({ gdbPath: 'gdb', cwd: ROOT, env: process.env });
  const waiting: Array<(r: MiAsyncRecord) => void> = [];
  const pending: MiAsyncRecord[] = [];
  gdb.on('async', (record: MiAsyncRecord) => {
    if (record.kind === 'exec' && record.asyncClass === 'stopped') {
      const resolve = waiting.shift();
      if (resolve) {
        resolve(record);
      } else {
        pending.push(record);
      }
    }
  });
  const next = () => (pending.length ? Promise.resolve(pending.shift()!) : new Promise<MiAsyncRecord>((resolve) => waiting.push(resolve)));
  for (const [name, value] of [['mi-async', 'on'], ['startup-with-shell', 'off'], ['confirm', 'off']]) {
    await gdb.send(miCliCommand('-gdb-set', name, value));
  }
  await gdb.send(miCommand('-file-exec-and-symbols', program));
  await gdb.send(miCommand('-inferior-tty-set', '/dev/null'));
  await gdb.send(miCliCommand('-exec-arguments', ...args));
  await gdb.send(line === undefined ? miCommand('-break-insert', '-t', 'main') : miCommand('-break-insert', '-t', '--source', STEPS_SOURCE, '--line', line));
  const stopped = next();
  await gdb.send(miCommand('-exec-run'));
  await stopped;
  return { gdb, next };
}

async function gdbTids(gdb: GdbConnection): Promise<Map<number, number>> {
  const threads = ((await gdb.send(miCommand('-thread-info'))).threads ?? []) as MiTuple[];
  return new Map(threads.map((t) => [Number(t.id), Number(/LWP (\d+)/.exec(String(t['target-id']))?.[1])]));
}

async function gdbRacers(threads: number, rounds: number): Promise<Seen> {
  const { gdb, next } = await gdbSession(RACERS, [String(threads), String(rounds)]);
  try {
    await gdb.send(miCommand('-break-watch', 'race_target'));
    let tids = new Map<number, number>();
    const seen: Seen = { values: [], tids: [], ms: 0 };
    const started = process.hrtime.bigint();
    for (;;) {
      const stopped = next();
      await gdb.send(miCommand('-exec-continue'));
      const record = await stopped;
      const r = record.results;
      if (r.reason !== 'watchpoint-trigger') {
        break; // exited (or the watchpoint went with the program)
      }
      const threadId = Number(r['thread-id']);
      if (!tids.get(threadId)) {
        tids = await gdbTids(gdb);
      }
      seen.values.push(Number((r.value as MiTuple).new));
      seen.tids.push(tids.get(threadId) ?? -1);
    }
    seen.ms = Number(process.hrtime.bigint() - started) / 1e6;
    return seen;
  } finally {
    gdb.kill();
  }
}

type StepCase = 'next over a write' | 'stepi over a write' | 'continue from a breakpoint on a write';

/** One write of g (1 → 2) made inside a single step: is it reported, with the right value? */
async function pwatchStep(kind: StepCase, stopMode: 'all' | 'thread'): Promise<Seen> {
  const { dc, stop } = await pwatchSession(STEPS, [], { stopMode }, markerLineOf(STEPS_SOURCE, 'steps-write'));
  try {
    await watch(dc, 'g');
    const threadId = stop.body.threadId!;
    const stopped = dc.waitForEvent('stopped') as Promise<DebugProtocol.StoppedEvent>;
    if (kind === 'continue from a breakpoint on a write') {
      await dc.continueRequest({ threadId });
    } else {
      await dc.nextRequest({ threadId, granularity: kind === 'stepi over a write' ? 'instruction' : 'statement' });
    }
    const event = await stopped;
    const reported = event.body.reason === 'data breakpoint' && / → 2\b/.test(event.body.text ?? '');
    return { values: reported ? [2] : [], tids: reported ? [0] : [], ms: 0 };
  } finally {
    await dc.disconnectRequest({ terminateDebuggee: true }).catch(() => undefined);
    await dc.stop();
  }
}

async function gdbStep(kind: StepCase): Promise<Seen> {
  const { gdb, next } = await gdbSession(STEPS, [], markerLineOf(STEPS_SOURCE, 'steps-write'));
  try {
    await gdb.send(miCommand('-break-watch', 'g'));
    const stopped = next();
    const command = kind === 'continue from a breakpoint on a write' ? '-exec-continue' : kind === 'stepi over a write' ? '-exec-step-instruction' : '-exec-next';
    await gdb.send(miCommand(command));
    const r = (await stopped).results;
    const reported = r.reason === 'watchpoint-trigger' && (r.value as MiTuple | undefined)?.new === '2';
    return { values: reported ? [2] : [], tids: reported ? [0] : [], ms: 0 };
  } finally {
    gdb.kill();
  }
}

export async function measureFidelity(racers: Array<[number, number]>, log: (line: string) => void): Promise<FidelityRow[]> {
  const rows: FidelityRow[] = [];
  const add = (row: FidelityRow) => {
    rows.push(row);
    log(`  ${row.case}, ${row.debugger}: ${row.reported}/${row.made} reported, ${row.attributed}/${row.made} attributed${row.msPerStop ? `, ${row.msPerStop.toFixed(2)} ms per stop` : ''}`);
  };
  for (const [threads, rounds] of racers) {
    const name = `racers ${threads} x ${rounds}`;
    const made = threads * rounds;
    add(score(name, 'pwatch-all', made, await pwatchRacers(threads, rounds, 'all')));
    add(score(name, 'pwatch-thread', made, await pwatchRacers(threads, rounds, 'thread')));
    add(score(name, 'gdb-watch', made, await gdbRacers(threads, rounds)));
  }
  const steps: StepCase[] = ['next over a write', 'stepi over a write', 'continue from a breakpoint on a write'];
  for (const kind of steps) {
    // One write by the main thread: attributed is the same as reported (tid 0 stands for "the right one").
    add(score(kind, 'pwatch-all', 1, await pwatchStep(kind, 'all')));
    add(score(kind, 'pwatch-thread', 1, await pwatchStep(kind, 'thread')));
    add(score(kind, 'gdb-watch', 1, await gdbStep(kind)));
  }
  return rows;
}

export function fidelityTable(rows: FidelityRow[]): string {
  return [
    '| case | debugger | writes made | reported | attributed (thread and value) | ms per reported stop |',
    '|---|---|---:|---:|---:|---:|',
    ...rows.map((r) => `| ${r.case} | ${r.debugger} | ${r.made} | ${r.reported} | ${r.attributed} | ${r.msPerStop === undefined ? '' : r.msPerStop.toFixed(2)} |`),
  ].join('\n');
}
