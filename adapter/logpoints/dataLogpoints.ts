/**
 * Data logpoints: watch like a data breakpoint but never stop the program. The native log engine's slots
 * are armed per logpoint (one per debug register the range needs); every access arrives as a sample in a
 * batch and is counted here per logpoint and per thread. Recent accesses are kept for the console and
 * the view; symbolising and reading values happens later, in LogStream.
 */
import { MiSender } from '../gdb/connection';
import { NativeSlotBatch, NativeSlotEngine, SLOT_FIELDS } from '../native/addon';
import { LogAccessType, LogpointResult } from '../protocol/pwatchProtocol';
import { Coverage, coverageMessage, CoverageSource } from '../watch/coverage';
import { ParentProgress } from '../watch/parents';
import { splitRange } from '../watch/ranges';
import { SlotEntry, slotKey, SlotTable } from '../watch/slotTable';
import { resolveTarget, targetLabel, targetName } from '../watch/target';

export type { LogAccessType, LogpointResult };

/** One logged access. `pc` is the instruction after the access (x86 reports it so). */
export interface LoggedAccess {
  tid: number;
  pc: bigint;
  /** CLOCK_MONOTONIC nanoseconds, as the kernel stamped the sample. */
  time: number;
}

export interface Logpoint extends SlotEntry {
  accessType: LogAccessType;
  label: string;
  total: number;
  perThread: Map<number, number>;
  /** Accesses since the last flush, newest last, at most RECENT_KEPT of them. */
  recent: LoggedAccess[];
  /** Accesses since the last flush (including those no longer in `recent`). */
  sinceFlush: number;
  /** The threads those accesses came from. */
  threadsSinceFlush: Set<number>;
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
  return slotKey(request.dataId, request.accessType);
}

/** Accesses kept per logpoint between flushes for display; the counts stay exact regardless. */
export const RECENT_KEPT = 64;

/** Logpoint ids, apart from gdb's breakpoint numbers and data breakpoint ids. */
const FIRST_ID = 2_000_000;

export class DataLogpoints implements CoverageSource {
  readonly kind = 'logpoint';
  private readonly table: SlotTable<Logpoint>;
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
    note: (text: string) => void = () => undefined,
  ) {
    this.table = new SlotTable(engine, pid, FIRST_ID, 'data logpoint', note);
  }

  private get logpoints(): Logpoint[] {
    return this.table.entries;
  }

  /** Opens the log slots on parent threads, like DataBreakpoints.addParents. */
  async addParents(tids: number[], progress: ParentProgress = {}, maxThreads = Infinity): Promise<void> {
    await this.table.addParents(tids, progress, maxThreads);
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
    return this.table.currentCoverage();
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
    const pieces = this.table.arm(ranges, free, access, targetName(target));
    if (typeof pieces === 'string') {
      return { verified: false, message: pieces };
    }
    const coverage = this.table.currentCoverage();
    const logpoint: Logpoint = {
      id: this.table.newId(),
      target,
      accessType,
      label: targetLabel(target, accessType === 'write' ? 'write' : 'access'),
      message: loggingMessage(coverage, pieces.length),
      pieces,
      total: 0,
      perThread: new Map(),
      recent: [],
      sinceFlush: 0,
      threadsSinceFlush: new Set(),
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
    this.table.remove(logpoint);
    return true;
  }

  find(id: number): Logpoint | undefined {
    return this.table.find(id);
  }

  messageOf(id: number): string | undefined {
    return this.table.messageOf(id);
  }

  labelOf(id: number): string | undefined {
    return this.find(id)?.label;
  }

  ownerOf(id: number): Logpoint['owner'] | undefined {
    return this.table.ownerOf(id);
  }

  /** The logpoints whose coverage message changed (threads came or went), and the coverage now. */
  refreshCoverage(): { changed: number[]; coverage: Coverage } | undefined {
    return this.table.refreshCoverage(loggingMessage);
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
      logpoint.threadsSinceFlush.add(tid);
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
    return this.table.entryOf(slot, generation);
  }

  private freeSlots(): number[] {
    return this.table.freeSlots();
  }
}
