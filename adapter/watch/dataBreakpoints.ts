/**
 * Process-wide data breakpoints on the native slot engine: slot assignment, arming in one pass, coverage,
 * and the judgement of every sampled access (report it, or let it pass silently). gdb's `watch` is never used.
 *
 * Every access to a watched address is sampled by the kernel (thread, pc, time, registers) as well as signalled.
 * The samples, not the signals, are what is judged: a signal can merge with a single-step's and vanish, a
 * racing writer's signal can arrive after other threads wrote, but each sample is one access, in time order,
 * with the registers that say what that thread stored. Stops are the occasions to judge them.
 */
import { DebugProtocol } from '@vscode/debugprotocol';
import { HitTest, parseHitCondition } from '../breakpoints/hitCondition';
import * as gdbBreak from '../gdb/commands/break';
import { FrameRef } from '../gdb/commands/context';
import * as data from '../gdb/commands/data';
import * as exec from '../gdb/commands/exec';
import { MiSender } from '../gdb/connection';
import { NativeSlotEngine, SAMPLED_REGISTERS, SLOT_FIELDS } from '../native/addon';
import { Coverage, coverageMessage, CoverageSource } from './coverage';
import { LocalScope } from './dataInfo';
import { formatBytes, readBytes } from './memory';
import { splitRange } from './ranges';
import { ParentProgress } from './parents';
import { readTrapInfo, TRAP_PERF } from './siginfo';
import { LentSample as SlotSample, SlotEntry, slotKey, SlotLoan, SlotTable } from './slotTable';
import { registerMap, SampledRegisters } from './storeDecoder';
import { resolveTarget, targetLabel, targetName } from './target';
import { Serial } from '../util/serial';
import { ThreadIds } from './threadIds';
import { formatWithGdb, typeOf, ValueType } from './valueType';

import { AccessEffects, AccessType, Sampled } from './accessEffects';

export type { AccessType };

interface Armed extends SlotEntry {
  accessType: AccessType;
  condition?: string;
  hitTest?: HitTest;
  hits: number;
  /** The watched bytes as the last judged access left them. */
  value?: Buffer;
  type?: ValueType;
  /** For a local: the gdb breakpoint that fires when its frame returns. */
  scopeGuard?: number;
}

/** What a client's hit history shows for one stop (the `pwatch/hit` event). */
export interface HitReport {
  id: number;
  name: string;
  accessType: AccessType;
  old?: string;
  new?: string;
  /** The new value was read at the stop, not known from the access (other threads may have written since). */
  valueNow?: boolean;
  tid: number;
  threadId?: number;
  /** Where the access was made: the instruction that made it, not the one after it. */
  function?: string;
  file?: string;
  line?: number;
}

/** A judged access the user must see: its thread and the texts of the stop. */
export interface DataHit {
  id: number;
  tid: number;
  threadId: number | undefined;
  description: string;
  text: string;
  hit: HitReport;
}

/** Whose SIGTRAP a stop is: an access sampled now or judged before (pwatch's), or the program's own. */
export type TrapOwner = 'pwatch' | 'program';

/** An access sampled on a slot lent out (a race hunt's), with the registers the sample holds. */
export type LentSample = SlotSample<SampledRegisters>;
export type { SlotLoan };

/** Two samples of one instruction (two debug registers of one wide watch) are this close in time. */
const TWIN_NS = 50_000;

/** Accesses whose own signal may still come, kept per thread at most (merged signals never come). */
const AWAITED_PER_THREAD = 32;

function keyOf(request: DebugProtocol.DataBreakpoint): string {
  return slotKey(request.dataId, request.accessType);
}

function failed(message: string): DebugProtocol.Breakpoint {
  return { verified: false, message, reason: 'failed' } as DebugProtocol.Breakpoint;
}

/** The first DAP id for data breakpoints, apart from gdb's breakpoint numbers. */
const FIRST_ID = 1_000_000;

export class DataBreakpoints implements CoverageSource {
  readonly kind = 'dataBreakpoint';
  private readonly table: SlotTable<Armed, SampledRegisters>;
  /** Sampled accesses not judged yet, in time order. */
  private queue: Array<Sampled<Armed>> = [];
  /** Per thread: where accesses judged before their own SIGTRAP stop were made (that stop is then silent). */
  private readonly awaited = new Map<number, bigint[]>();
  readonly threadIds: ThreadIds;
  private readonly judging = new Serial();
  /** gdb steps over breakpoints in place (see stepInPlace). */
  private inPlace = false;
  private readonly effects: AccessEffects;
  /** In every sig_data pwatch arms: a trap that does not carry it is the program's own. */
  private readonly tag = BigInt(Math.floor(Math.random() * 2 ** 40) + 1) << 8n;
  /** Frames of watchable locals, recorded by dataBreakpointInfo (their dataIds never persist). */
  readonly scopes = new Map<string, LocalScope>();

  constructor(
    private readonly gdb: MiSender,
    private readonly engine: NativeSlotEngine,
    private readonly pid: number,
    private readonly python: boolean,
    /** Tells the user something that went wrong without failing a request (a disarm the kernel refused). */
    note: (text: string) => void = () => undefined,
  ) {
    this.table = new SlotTable(engine, pid, FIRST_ID, 'data breakpoint', note, (slot) => this.tag | BigInt(slot));
    this.threadIds = new ThreadIds(gdb);
    this.effects = new AccessEffects(gdb, pid, this.threadIds);
  }

  /** Opens the slots on parent threads (the main thread at launch, every thread at attach). */
  async addParents(tids: number[], progress: ParentProgress = {}, maxThreads = Infinity): Promise<void> {
    await this.table.addParents(tids, progress, maxThreads);
  }

  /** The breakpoints armed now. */
  private get armed(): Armed[] {
    return this.table.entries;
  }

  private set armed(entries: Armed[]) {
    this.table.entries = entries;
  }

  /** Replaces the whole set, arming what fits; works whether the program runs or is stopped. */
  async set(requested: DebugProtocol.DataBreakpoint[]): Promise<DebugProtocol.Breakpoint[]> {
    // VS Code sends the whole set on every change. Breakpoints that stay are left armed as they are (no
    // ioctl, same generation, so a trap already on its way is still recognised); only the rest changes.
    const wanted = new Set(requested.map(keyOf));
    const stays = (a: Armed) => a.owner === 'extension' || wanted.has(a.key);
    for (const a of this.armed.filter((x) => !stays(x))) {
      await this.disarm(a);
    }
    this.armed = this.armed.filter(stays);
    const free = this.freeSlots();
    const results: DebugProtocol.Breakpoint[] = [];
    const answered = new Set<string>();
    for (const request of requested) {
      const kept = answered.has(keyOf(request)) ? undefined : this.armed.find((a) => a.owner === 'client' && a.key === keyOf(request));
      answered.add(keyOf(request));
      results.push(kept ? await this.update(kept, request, free) : await this.arm(request, free, 'client'));
    }
    return results;
  }

  /** A data breakpoint of the editor's own (outside the DAP set), armed on the free registers. */
  async add(request: DebugProtocol.DataBreakpoint): Promise<DebugProtocol.Breakpoint> {
    return this.arm(request, this.freeSlots(), 'extension');
  }

  /** Removes one of the editor's own data breakpoints; false if there is none with that id. */
  async remove(id: number): Promise<boolean> {
    const armed = this.armed.find((a) => a.id === id && a.owner === 'extension');
    if (!armed) {
      return false;
    }
    await this.disarm(armed);
    this.armed = this.armed.filter((a) => a !== armed);
    return true;
  }

  /** The ids armed now. */
  ids(): number[] {
    return this.table.entries.map((entry) => entry.id);
  }

  ownerOf(id: number): 'client' | 'extension' | undefined {
    return this.table.ownerOf(id);
  }

  /** Lends `count` free slots (a race hunt's watch), or says why none can be lent. */
  lend(count: number, onSample: (sample: LentSample) => void): SlotLoan | string {
    return this.table.lend(count, onSample);
  }

  private freeSlots(): number[] {
    return this.table.freeSlots();
  }

  /** The breakpoints whose coverage message changed (threads came or went), and the coverage now. */
  refreshCoverage(): { changed: number[]; coverage: Coverage } | undefined {
    return this.table.refreshCoverage();
  }

  messageOf(id: number): string | undefined {
    return this.table.messageOf(id);
  }

  /** What a breakpoint watches, for views: `shared_counter (8 bytes, write)`. */
  labelOf(id: number): string | undefined {
    const a = this.armed.find((x) => x.id === id);
    return a && targetLabel(a.target, a.accessType);
  }

  currentCoverage(): Coverage {
    return this.table.currentCoverage();
  }

  /** Takes every access sampled so far into the queue; true when the queue holds any. */
  collect(): boolean {
    const batch = this.engine.take();
    const fields = batch.hits;
    for (let i = 0, n = 0; i + SLOT_FIELDS <= fields.length; i += SLOT_FIELDS, n++) {
      const [slot, generation, tid, ip, time] = [fields[i], fields[i + 1], fields[i + 2], fields[i + 3], fields[i + 4]];
      const regsOf = () => (batch.regs ? registerMap(batch.regs.subarray(n * SAMPLED_REGISTERS.length, (n + 1) * SAMPLED_REGISTERS.length)) : new Map<string, bigint>());
      const borrower = this.table.borrowerOf(slot);
      if (borrower) {
        borrower({ slot, generation, tid, ip: BigInt(ip), time, regs: regsOf() });
        continue;
      }
      const armed = this.table.entryOf(slot, generation);
      const piece = armed?.pieces.find((p) => p.slot === slot);
      // One instruction that touches two pieces of a wide watch (a 16-byte store) traps in both registers: one access.
      const twin = this.queue.find((s) => s.armed === armed && s.tid === tid && s.ip === BigInt(ip) && s.piece !== piece && Math.abs(s.time - time) < TWIN_NS);
      if (armed && piece && !twin) {
        this.queue.push({ armed, piece, tid, ip: BigInt(ip), time, regs: regsOf() });
      }
    }
    // Buffers are per CPU: accesses from two CPUs arrive in two runs, each in order.
    this.queue.sort((a, b) => a.time - b.time);
    return this.queue.length > 0;
  }

  /** The kernel thread id of gdb's thread `threadId`. */
  tidOf(threadId: number): Promise<number | undefined> {
    return this.threadIds.tidOf(threadId);
  }

  /** The threads whose accesses have waited to be judged for `ms` or longer (sample times are CLOCK_MONOTONIC, as hrtime). */
  waitingThreads(ms: number): number[] {
    const before = Number(process.hrtime.bigint()) - ms * 1e6;
    return [...new Set(this.queue.filter((s) => s.time <= before).map((s) => s.tid))];
  }

  /**
   * Whose a SIGTRAP stop of thread `tid` at `pc` is. pwatch's when an access of that thread at that place was
   * sampled (now, or judged earlier from another stop); otherwise its siginfo says: a perf breakpoint trap
   * carrying pwatch's tag is pwatch's (its sample was lost), anything else is the program's own.
   */
  async ownerOfTrap(threadId: number, tid: number | undefined, pc: bigint | undefined): Promise<TrapOwner> {
    if (tid !== undefined && pc !== undefined) {
      if (this.queue.some((s) => s.tid === tid && s.ip === pc)) {
        return 'pwatch';
      }
      const awaited = this.awaited.get(tid) ?? [];
      const at = awaited.indexOf(pc);
      if (at >= 0) {
        awaited.splice(at, 1);
        return 'pwatch';
      }
    }
    const info = await readTrapInfo(this.gdb, threadId, this.python);
    if (info?.code === TRAP_PERF && info.perfData !== undefined && info.perfData >> 8n === this.tag >> 8n) {
      return 'pwatch';
    }
    return info?.code === TRAP_PERF && info.perfData === undefined && this.armed.some((a) => a.pieces.some((p) => p.address === info.address)) ? 'pwatch' : 'program';
  }

  /**
   * Judges the queued accesses of the threads `judgeable` allows (every thread in all-stop, the stopped one in
   * non-stop), oldest first, until one must be reported: that one is returned, the rest stay queued for the
   * next stop or continue. `ownStop`: the thread and place of the SIGTRAP this stop is, whose access needs no
   * later signal; any other access judged here may still get its own, which is then silent.
   */
  nextHit(judgeable: (tid: number) => boolean, ownStop?: { tid: number; pc: bigint }): Promise<DataHit | undefined> {
    // Several stops come at once in non-stop mode: each judges in turn, or two would work out one value chain.
    return this.judging.run(() => this.nextHitNow(judgeable, ownStop));
  }

  private async nextHitNow(judgeable: (tid: number) => boolean, ownStop?: { tid: number; pc: bigint }): Promise<DataHit | undefined> {
    await this.chain();
    while (true) {
      const index = this.queue.findIndex((s) => judgeable(s.tid));
      if (index < 0) {
        return undefined;
      }
      const [access] = this.queue.splice(index, 1);
      if (ownStop && ownStop.tid === access.tid && ownStop.pc === access.ip) {
        ownStop = undefined;
      } else {
        const awaited = this.awaited.get(access.tid) ?? [];
        awaited.push(access.ip);
        this.awaited.set(access.tid, awaited.slice(-AWAITED_PER_THREAD));
      }
      if (!this.armed.includes(access.armed)) {
        continue; // removed since the access
      }
      const hit = await this.judge(access);
      if (hit) {
        return hit;
      }
    }
  }

  /**
   * Works out what every access not yet worked out did, oldest first, whichever thread it was: the value chain
   * (each access's old value is what the one before it left) must follow the order of the accesses, not the
   * order in which their threads stop (non-stop reports each thread at its own stop).
   */
  private async chain(): Promise<void> {
    for (const access of this.queue) {
      if (!access.effect && this.armed.includes(access.armed)) {
        access.effect = await this.effects.effectOf(access);
      }
    }
  }

  private async judge(access: Sampled<Armed>): Promise<DataHit | undefined> {
    const armed = access.armed;
    const effect = access.effect ?? (await this.effects.effectOf(access));
    const { decoded, place, before, after, valueNow } = effect;
    if (!effect.relevant) {
      return undefined;
    }
    const threadId = await this.threadIds.idOf(access.tid);
    if (armed.condition && threadId !== undefined && !(await this.conditionHolds(armed.condition, { threadId, level: 0 }))) {
      return undefined;
    }
    armed.hits++;
    if (armed.hitTest && !armed.hitTest(armed.hits)) {
      return undefined;
    }
    const name = targetName(armed.target);
    const show = (bytes: Buffer | undefined) =>
      bytes === undefined ? Promise.resolve('?') : armed.type ? formatWithGdb(this.gdb, bytes, armed.type, this.python) : Promise.resolve(formatBytes(bytes));
    const oldText = await show(before);
    const newText = await show(after);
    const label = valueNow ? ' (value now)' : '';
    const change = armed.accessType === 'read' || (decoded?.kind === 'read' && armed.accessType === 'readWrite') ? `read ${newText}` : `${oldText} → ${newText}${label}`;
    const others = [...new Set(this.queue.filter((s) => s.armed === armed && s.tid !== access.tid).map((s) => s.tid))];
    const pending = others.length > 0 ? ` (then thread${others.length > 1 ? 's' : ''} ${others.join(', ')}, queued)` : '';
    const where = place.line !== undefined ? ` at line ${place.line}` : '';
    const report: HitReport = {
      id: armed.id,
      name,
      accessType: armed.accessType,
      old: before ? oldText : undefined,
      new: after ? newText : undefined,
      valueNow: valueNow || undefined,
      tid: access.tid,
      threadId,
      function: place.function,
      file: place.fullname ?? place.file,
      line: place.line,
    };
    return {
      id: armed.id,
      tid: access.tid,
      threadId,
      description: `Data breakpoint: ${name}: ${change}${where}${pending}`,
      text: `${name}: ${change}`,
      hit: report,
    };
  }

  /**
   * A scope guard fired: if its local's frame really returned, the data breakpoint goes away. Returns
   * what was removed, so the client can be told.
   */
  async onScopeExit(breakpointNumber: number): Promise<{ id: number; message: string } | undefined> {
    const local = this.armed.find((a) => a.scopeGuard === breakpointNumber);
    if (!local) {
      return undefined;
    }
    await this.disarm(local);
    this.armed = this.armed.filter((a) => a !== local);
    const message = `removed: the frame of ${local.target.expression ?? 'the local'} returned`;
    return { id: local.id, message };
  }

  close(): void {
    this.table.clear();
    this.engine.close();
  }

  /** A breakpoint that stays armed: only its condition and hit count may have changed. */
  private async update(armed: Armed, request: DebugProtocol.DataBreakpoint, free: number[]): Promise<DebugProtocol.Breakpoint> {
    const hitTest = request.hitCondition ? parseHitCondition(request.hitCondition) : undefined;
    if (hitTest instanceof Error) {
      // Reported as failed, so it must not keep trapping: its registers go back to the free ones.
      await this.disarm(armed);
      this.armed = this.armed.filter((a) => a !== armed);
      free.push(...armed.pieces.map((p) => p.slot));
      return failed(hitTest.message);
    }
    armed.condition = request.condition || undefined;
    armed.hitTest = hitTest;
    return { id: armed.id, verified: true, message: armed.message };
  }

  private async arm(request: DebugProtocol.DataBreakpoint, free: number[], owner: Armed['owner']): Promise<DebugProtocol.Breakpoint> {
    const accessType: AccessType = request.accessType ?? 'write';
    if (!['read', 'write', 'readWrite'].includes(accessType)) {
      return failed(`access type ${JSON.stringify(accessType)} is not supported: use write, read or readWrite`);
    }
    const target = await resolveTarget(this.gdb, request.dataId);
    if (typeof target === 'string') {
      return failed(target);
    }
    const pieces = splitRange(target.address, target.length);
    if (pieces.length > free.length) {
      return failed(
        `${target.length} bytes at 0x${target.address.toString(16)} need ${pieces.length} debug registers, but ${free.length} of ${this.engine.slots} are free: remove another data breakpoint or watch fewer bytes`,
      );
    }
    let hitTest: HitTest | undefined;
    if (request.hitCondition) {
      const parsed = parseHitCondition(request.hitCondition);
      if (parsed instanceof Error) {
        return failed(parsed.message);
      }
      hitTest = parsed;
    }
    const key = keyOf(request);
    // x86 has no read-only watch: reads are watched as accesses and told apart by their instruction.
    const access = accessType === 'write' ? 'write' : 'readWrite';
    const value = await readBytes(this.gdb, this.pid, target.address, target.length);
    const type = await typeOf(this.gdb, target.expression, target.length);
    const placed = this.table.arm(pieces, free, access, targetName(target));
    if (typeof placed === 'string') {
      return failed(placed);
    }
    const id = this.table.newId();
    const coverage = this.table.currentCoverage();
    const armed: Armed = {
      id,
      key,
      target,
      accessType,
      condition: request.condition || undefined,
      hitTest,
      hits: 0,
      pieces: placed,
      value,
      type,
      message: coverageMessage(coverage, placed.length),
      scopeGuard: target.kind === 'local' ? await this.guardScope(request.dataId) : undefined,
      owner,
    };
    this.armed.push(armed);
    await this.stepInPlace();
    const nothingCovered = coverage.covered === 0;
    const breakpoint: DebugProtocol.Breakpoint = { id, verified: !nothingCovered, message: armed.message };
    if (nothingCovered) {
      (breakpoint as { reason?: string }).reason = 'failed';
    }
    return breakpoint;
  }

  /**
   * While data breakpoints are armed, gdb steps over breakpoints in place, not in a copy of the instruction at the
   * program's entry point (displaced stepping): an access made there would be sampled at the copy's address, in
   * code gdb rewrites, and could be neither decoded nor placed on its line. Until the first data breakpoint gdb's
   * default stays (with several processes, in-place steps over breakpoints sometimes never finished: seen in the
   * fork tests, 2 of 6 runs).
   */
  private async stepInPlace(): Promise<void> {
    if (!this.inPlace) {
      this.inPlace = true;
      await exec.setOption(this.gdb, 'displaced-stepping', 'off').catch(() => undefined);
    }
  }

  private async disarm(armed: Armed): Promise<void> {
    this.table.disarm(armed.pieces, targetName(armed.target));
    if (armed.scopeGuard !== undefined) {
      await gdbBreak.remove(this.gdb, [armed.scopeGuard]).catch(() => undefined);
    }
  }

  /** Past the return, the stack pointer is above the frame's: then the local is gone. */
  private async guardScope(dataId: string): Promise<number | undefined> {
    const scope = this.scopes.get(dataId);
    if (!scope) {
      return undefined;
    }
    const guard = await gdbBreak
      .insertAtAddress(this.gdb, scope.returnAddress, scope.threadId, `$sp > 0x${scope.stackPointer.toString(16)}`)
      .catch(() => undefined);
    return guard?.number;
  }

  private async conditionHolds(condition: string, frame: FrameRef): Promise<boolean> {
    try {
      const value = (await data.evaluate(this.gdb, condition, frame)).trim();
      return !(value === '0' || value === 'false' || value === '0x0');
    } catch {
      return true; // a condition that cannot be evaluated stops, so the user sees why
    }
  }
}
