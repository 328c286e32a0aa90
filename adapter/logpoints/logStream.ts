/**
 * Streams what data logpoints logged to the client, at most every FLUSH_MS: a `pwatch/logpoint` event
 * per logpoint (exact totals per thread, the latest accesses with function:line) and Debug Console lines.
 * Symbols come from gdb, which answers while the program runs; values are read when the report is made
 * (best effort, and labelled "value now"), since a sample carries no data.
 */
import { OutputEvent } from '@vscode/debugadapter';
import { DebugProtocol } from '@vscode/debugprotocol';
import * as fs from 'fs';
import { CodePlace, codePlace } from '../gdb/commands/data';
import * as threads from '../gdb/commands/thread';
import { MiSender } from '../gdb/connection';
import { formatBytes, readBytes } from '../watch/memory';
import { targetName } from '../watch/target';
import { DataLogpoints, Logpoint } from './dataLogpoints';
import { accessLine, lostLine, ShownAccess, summaryLine } from './logFormat';
import { LogpointEventBody, pwatchEvent } from '../protocol/pwatchProtocol';

const FLUSH_MS = 100;

/** Where code addresses and thread numbers come from: gdb's program (debugged), or elsewhere (observe mode). */
export interface LogSource {
  place(gdb: MiSender, pc: bigint): Promise<CodePlace>;
  threads(gdb: MiSender): Promise<Array<{ id: number; tid?: number }>>;
}

export const DEBUGGED: LogSource = { place: codePlace, threads: threads.info };
/** Accesses printed one by one per logpoint and report; the rest are summed up in one line. */
const SHOWN_PER_REPORT = 8;
/** Thread numbers are looked up again at most this often, when an unknown tid shows up. */
const THREAD_REFRESH_MS = 1000;


export class LogStream {
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | undefined;
  private readonly places = new Map<bigint, Promise<CodePlace>>();
  private threadIds = new Map<number, number>();
  private threadsReadAt = 0;
  private lostReported = 0;

  constructor(
    private readonly gdb: MiSender,
    private readonly logpoints: DataLogpoints,
    private readonly send: (event: DebugProtocol.Event) => void,
    private source: LogSource = DEBUGGED,
  ) {}

  /** A debugger attached to an observed process, or left it: places and thread numbers come from elsewhere now. */
  useSource(source: LogSource): void {
    this.source = source;
    this.places.clear();
    this.threadIds.clear();
    this.threadsReadAt = 0;
  }

  /** New data arrived: report it soon, not once per batch. */
  schedule(): void {
    if (!this.timer) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        void this.flush();
      }, FLUSH_MS);
    }
  }

  /**
   * Reports everything counted so far. Also after the program exited: gdb keeps the last run's
   * relocation, so its symbols still match the logged addresses (measured with gdb 13).
   */
  async flush(): Promise<void> {
    while (this.flushing) {
      await this.flushing;
    }
    this.flushing = this.report().finally(() => (this.flushing = undefined));
    await this.flushing;
  }

  cancel(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private async report(): Promise<void> {
    const due = this.logpoints.all().filter((l) => l.sinceFlush > 0);
    if (due.some((l) => [...l.perThread.keys()].some((tid) => !this.threadIds.has(tid)))) {
      await this.refreshThreadIds();
    }
    for (const logpoint of due) {
      await this.reportOne(logpoint);
    }
    if (this.logpoints.lost > this.lostReported) {
      this.lostReported = this.logpoints.lost;
      this.send(new OutputEvent(`pwatch: ${lostLine(this.logpoints.lost)}\n`, 'console'));
    }
  }

  private async reportOne(logpoint: Logpoint): Promise<void> {
    const recent = logpoint.recent.slice(-SHOWN_PER_REPORT);
    const sinceFlush = logpoint.sinceFlush;
    const threads = logpoint.threadsSinceFlush.size;
    logpoint.recent = [];
    logpoint.sinceFlush = 0;
    logpoint.threadsSinceFlush = new Set();
    // Once the program is gone gdb would read the executable file's initial bytes: no value then.
    const alive = fs.existsSync(`/proc/${this.logpoints.pid}`);
    const bytes = alive ? await readBytes(this.gdb, this.logpoints.pid, logpoint.target.address, logpoint.target.length) : undefined;
    const value = bytes ? formatBytes(bytes) : undefined;
    const wallOffset = Date.now() - Number(process.hrtime.bigint()) / 1e6;
    const shown: ShownAccess[] = [];
    for (const access of recent) {
      // pc - 1 lies inside the accessing instruction: the kernel reports the one after it.
      shown.push({
        tid: access.tid,
        threadId: this.threadIds.get(access.tid),
        pc: access.pc,
        place: await this.place(access.pc - 1n),
        time: access.time / 1e6 + wallOffset,
      });
    }
    const name = targetName(logpoint.target);
    const lines = shown.map((s) => `pwatch: ${accessLine(name, s, value)}\n`);
    if (sinceFlush > shown.length) {
      lines.push(`pwatch: ${summaryLine(name, sinceFlush, shown.length, logpoint.total, threads)}\n`);
    }
    this.send(new OutputEvent(lines.join(''), 'console'));
    const body: LogpointEventBody = {
      id: logpoint.id,
      label: logpoint.label,
      total: logpoint.total,
      lost: this.logpoints.lost,
      perThread: [...logpoint.perThread].map(([tid, count]) => ({ tid, threadId: this.threadIds.get(tid), count })),
      hits: shown.map((s) => ({
        tid: s.tid,
        threadId: s.threadId,
        pc: `0x${s.pc.toString(16)}`,
        function: s.place.function,
        file: s.place.fullname ?? s.place.file,
        line: s.place.line,
        value,
        time: Math.round(s.time),
      })),
    };
    this.send(pwatchEvent('pwatch/logpoint', body));
  }

  private place(pc: bigint): Promise<CodePlace> {
    const known = this.places.get(pc);
    if (known) {
      return known;
    }
    const lookup = this.source.place(this.gdb, pc).catch(() => ({}));
    this.places.set(pc, lookup);
    return lookup;
  }

  private async refreshThreadIds(): Promise<void> {
    if (Date.now() - this.threadsReadAt < THREAD_REFRESH_MS) {
      return;
    }
    this.threadsReadAt = Date.now();
    const list = await this.source.threads(this.gdb).catch(() => []);
    for (const thread of list) {
      if (thread.tid !== undefined) {
        this.threadIds.set(thread.tid, thread.id);
      }
    }
  }
}
