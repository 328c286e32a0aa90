/**
 * Data logpoints: watch like a data breakpoint but never stop the program. The native log engine's slots
 * are armed per logpoint (one per debug register the range needs); every access arrives as a sample in a
 * batch and is counted here per logpoint and per thread. Recent accesses are kept for the console and
 * the view; symbolising and reading values happens later, in LogStream.
 */
import { MiSender } from '../gdb/connection';
import { NativeSlotBatch, NativeSlotEngine, SLOT_FIELDS } from '../native/addon';
import { LogAccessType, LogpointResult } from '../protocol/pwatchProtocol';
import { Coverage, coverageMessage, CoverageTracker, refreshMessages } from '../watch/coverage';
import { openOnParents, ParentProgress } from '../watch/parents';
import { CoverageSource } from '../watch/coverage';
import { splitRange } from '../watch/ranges';
import { disarmSlots } from '../watch/disarm';
import { resolveTarget, ResolvedTarget, targetLabel, targetName } from '../watch/target';

export type { LogAccessType, LogpointResult };

/** One logged access. `pc` is the instruction after the access (x86 reports it so). */
export interface LoggedAccess {
  tid: number;
  pc: bigint;
  /** CLOCK_MONOTONIC nanoseconds, as the kernel stamped the sample. */
  time: number;
}

export interface Logpoint {
  id: number;
  target: ResolvedTarget;
  accessType: LogAccessType;
  label: string;
  message: string;
  pieces: Array<{ slot: number; generation: number }>;
  total: number;
  perThread: Map<number, number>;
  /** Accesses since the last flush, newest last, at most RECENT_KEPT of them. */
  recent: LoggedAccess[];
  /** Accesses since the last flush (including those no longer in `recent`). */
  sinceFlush: number;
  /** client: part of a pwatch/setDataLogpoints set; extension: added one by one by the editor's commands. */
  owner: 'client' | 'extension';
  /** What the set was asked for, so a repeated set keeps this logpoint (and its counts) as it is. */
  key: string;
}

/** What a client asks to log: the same shapes as the editor's data breakpoint commands. */
export interface LogpointRequest {
  dataId: string;
  accessType?: LogAccessType;
}


function loggingMessage(coverage: Coverage, registers: number): string {
  return `logging; ${coverageMessage(coverage, registers)}`;
}

function keyOf(request: LogpointRequest): string {
  return `${request.dataId}|${request.accessType ?? 'write'}`;
}

/** Accesses kept per logpoint between flushes for display; the counts stay exact regardless. */
export const RECENT_KEPT = 64;

/** Logpoint ids, apart from gdb's breakpoint numbers and data breakpoint ids. */
const FIRST_ID = 2_000_000;

export class DataLogpoints implements CoverageSource {
  readonly kind = 'logpoint';
  private logpoints: Logpoint[] = [];
  private nextId = FIRST_ID;
  private readonly coverage: CoverageTracker;
  /** Accesses dropped by the kernel (buffer full) or by the adapter (it fell behind): not per logpoint. */
  lost = 0;
  throttled = 0;
  /** Events each parent thread needs: one per log slot and CPU. */
  eventsPerThread = 1;
  private closed = false;
  private parentsOpened = false;
  private openParents: (() => Promise<void>) | undefined;

  constructor(
    private readonly gdb: MiSender,
    private readonly engine: NativeSlotEngine,
    readonly pid: number,
    private readonly onData: () => void,
    /** Tells the user something that went wrong without failing a request (a disarm the kernel refused). */
    private readonly note: (text: string) => void = () => undefined,
  ) {
    this.coverage = new CoverageTracker(pid);
  }

  /** Opens the log slots on parent threads, like DataBreakpoints.addParents. */
  async addParents(tids: number[], progress: ParentProgress = {}, maxThreads = Infinity): Promise<void> {
    await openOnParents((chunk) => this.engine.addThreads(chunk), this.coverage, tids, progress, maxThreads);
    this.parentsOpened = true;
  }

  /**
   * At attach, the log slots are opened on the process's threads only when the first logpoint is asked
   * for: each thread needs one event per slot and CPU, which most sessions never use. `open` does it.
   */
  deferParents(open: () => Promise<void>): void {
    this.openParents = open;
  }

  get slots(): number {
    return this.engine.slots;
  }

  all(): readonly Logpoint[] {
    return this.logpoints;
  }

  currentCoverage(): Coverage {
    return this.coverage.current();
  }

  /** Replaces the client's set; logpoints asked for again stay armed with their counts. */
  async set(requests: LogpointRequest[]): Promise<LogpointResult[]> {
    const keys = new Set(requests.map(keyOf));
    for (const gone of this.logpoints.filter((l) => l.owner === 'client' && !keys.has(l.key))) {
      this.remove(gone.id, 'client');
    }
    const results: LogpointResult[] = [];
    for (const request of requests) {
      const kept = this.logpoints.find((l) => l.owner === 'client' && l.key === keyOf(request));
      results.push(kept ? { id: kept.id, verified: true, message: kept.message } : await this.add(request, 'client'));
    }
    return results;
  }

  /** Arms one more logpoint on free log slots. */
  async add(request: LogpointRequest, owner: Logpoint['owner']): Promise<LogpointResult> {
    const { dataId } = request;
    const accessType = request.accessType ?? 'write';
    if (this.closed) {
      return { verified: false, message: 'the session has ended' };
    }
    if (!this.parentsOpened && this.openParents) {
      const open = this.openParents;
      this.openParents = undefined;
      await open();
    }
    if (accessType !== 'write' && accessType !== 'readWrite') {
      return { verified: false, message: `a data logpoint logs writes ('write') or every access ('readWrite'), not ${JSON.stringify(accessType)}` };
    }
    const target = await resolveTarget(this.gdb, dataId);
    if (typeof target === 'string') {
      return { verified: false, message: target };
    }
    if (target.kind === 'local') {
      return {
        verified: false,
        message: `a data logpoint cannot follow a local (${target.expression ?? 'it'}) out of its frame, and never stops to notice: log its address instead (&${target.expression ?? 'x'})`,
      };
    }
    const ranges = splitRange(target.address, target.length);
    const free = this.freeSlots();
    if (ranges.length > free.length) {
      return {
        verified: false,
        message: `${target.length} bytes at 0x${target.address.toString(16)} need ${ranges.length} debug registers, but ${free.length} of ${this.engine.slots} logpoint registers are free: remove a data logpoint, or raise 'logpointSlots' in launch.json`,
      };
    }
    const access = accessType === 'write' ? 'write' : 'readWrite';
    const pieces: Logpoint['pieces'] = [];
    for (const [i, range] of ranges.entries()) {
      const slot = free[i];
      const armed = this.engine.arm(slot, range.address, range.length, access);
      const failure = 'failures' in armed ? armed.failures[0] : armed;
      if (failure) {
        this.noteDisarm([...pieces, { slot }], target);
        const where = 'tid' in failure ? `tid ${failure.tid}: ` : '';
        return { verified: false, message: `the kernel refused the logpoint: ${where}${failure.message}` };
      }
      pieces.push({ slot, generation: (armed as { generation: number }).generation });
    }
    const coverage = this.coverage.current();
    const logpoint: Logpoint = {
      id: this.nextId++,
      target,
      accessType,
      label: targetLabel(target, accessType === 'write' ? 'write' : 'access'),
      message: loggingMessage(coverage, pieces.length),
      pieces,
      total: 0,
      perThread: new Map(),
      recent: [],
      sinceFlush: 0,
      owner,
      key: keyOf(request),
    };
    this.logpoints.push(logpoint);
    return { id: logpoint.id, verified: coverage.covered > 0, message: logpoint.message };
  }

  /** Disarms a logpoint; what it logged before is delivered first (the engine drains on disarm). */
  remove(id: number, owner: Logpoint['owner']): boolean {
    const logpoint = this.logpoints.find((l) => l.id === id && l.owner === owner);
    if (!logpoint) {
      return false;
    }
    this.noteDisarm(logpoint.pieces, logpoint.target);
    this.logpoints = this.logpoints.filter((l) => l !== logpoint);
    return true;
  }

  private noteDisarm(pieces: ReadonlyArray<{ slot: number }>, target: ResolvedTarget): void {
    const failure = disarmSlots(this.engine, pieces.map((p) => p.slot), `the data logpoint on ${targetName(target)}`);
    if (failure) {
      this.note(failure);
    }
  }

  find(id: number): Logpoint | undefined {
    return this.logpoints.find((l) => l.id === id);
  }

  messageOf(id: number): string | undefined {
    return this.find(id)?.message;
  }

  labelOf(id: number): string | undefined {
    return this.find(id)?.label;
  }

  ownerOf(id: number): Logpoint['owner'] | undefined {
    return this.find(id)?.owner;
  }

  /** The logpoints whose coverage message changed (threads came or went), and the coverage now. */
  refreshCoverage(): { changed: number[]; coverage: Coverage } | undefined {
    if (this.logpoints.length === 0) {
      return undefined;
    }
    const coverage = this.coverage.current();
    const changed = refreshMessages(this.logpoints, (l) => loggingMessage(coverage, l.pieces.length));
    return { changed, coverage };
  }

  /** Counts accesses taken from the engine. */
  ingest(batch: NativeSlotBatch): void {
    this.lost += batch.lost;
    this.throttled += batch.throttled;
    const hits = batch.hits;
    for (let i = 0; i + SLOT_FIELDS <= hits.length; i += SLOT_FIELDS) {
      const logpoint = this.owner(hits[i], hits[i + 1]);
      if (!logpoint) {
        continue; // a slot re-armed since: the access belonged to a logpoint that is gone
      }
      const tid = hits[i + 2];
      logpoint.total++;
      logpoint.sinceFlush++;
      logpoint.perThread.set(tid, (logpoint.perThread.get(tid) ?? 0) + 1);
      logpoint.recent.push({ tid, pc: BigInt(hits[i + 3]), time: hits[i + 4] });
      if (logpoint.recent.length > RECENT_KEPT * 2) {
        logpoint.recent.splice(0, logpoint.recent.length - RECENT_KEPT);
      }
    }
    if (hits.length > 0 || batch.lost > 0) {
      this.onData();
    }
  }

  /** Closes the engine and counts what was still in its buffers. */
  close(): void {
    if (this.closed) {
      return;
    }
    this.closed = true;
    this.ingest(this.engine.close());
  }

  private owner(slot: number, generation: number): Logpoint | undefined {
    return this.logpoints.find((l) => l.pieces.some((p) => p.slot === slot && p.generation === generation));
  }

  private freeSlots(): number[] {
    const used = new Set(this.logpoints.flatMap((l) => l.pieces.map((p) => p.slot)));
    return [...Array(this.engine.slots).keys()].filter((slot) => !used.has(slot));
  }
}
