/**
 * Process-wide data breakpoints on the native engine: slot assignment, arming in one pass, coverage,
 * and the decision taken when a thread traps (stop, or resume silently). gdb's `watch` is never used.
 */
import { DebugProtocol } from '@vscode/debugprotocol';
import { HitTest, parseHitCondition } from '../breakpoints/hitCondition';
import * as gdbBreak from '../gdb/commands/break';
import { FrameRef } from '../gdb/commands/context';
import * as data from '../gdb/commands/data';
import { MiSender } from '../gdb/connection';
import { NativeWatchEngine } from '../native/addon';
import { Coverage, coverageMessage, CoverageTracker, refreshMessages } from './coverage';
import { LocalScope } from './dataInfo';
import { formatBytes, readBytes } from './memory';
import { disarmSlots } from './disarm';
import { Piece, splitRange } from './ranges';
import { ParentProgress, openOnParents } from './parents';
import { CoverageSource } from './reporter';
import { readTrapInfo, TRAP_PERF } from './siginfo';
import { resolveTarget, ResolvedTarget, targetLabel, targetName } from './target';

export type AccessType = 'read' | 'write' | 'readWrite';

interface Armed {
  id: number;
  key: string;
  target: ResolvedTarget;
  accessType: AccessType;
  condition?: string;
  hitTest?: HitTest;
  hits: number;
  pieces: Array<Piece & { slot: number }>;
  generation: number;
  value?: Buffer;
  message: string;
  /** For a local: the gdb breakpoint that fires when its frame returns. */
  scopeGuard?: number;
  /**
   * client: part of the DAP set (setDataBreakpoints replaces those); extension: added by the editor's
   * own commands (pwatch/addDataBreakpoint), which DAP's set leaves alone.
   */
  owner: 'client' | 'extension';
}

/** What a client's hit history shows for one stop (the `pwatch/hit` event, with thread and place added). */
export interface HitReport {
  id: number;
  name: string;
  accessType: AccessType;
  old?: string;
  new?: string;
}

export type TrapDecision =
  | { action: 'stop'; id: number; description: string; text: string; hit: HitReport }
  | { action: 'resume'; note?: string }
  | { action: 'notOurs' };

function keyOf(request: DebugProtocol.DataBreakpoint): string {
  return `${request.dataId}|${request.accessType ?? 'write'}`;
}

function failed(message: string): DebugProtocol.Breakpoint {
  return { verified: false, message, reason: 'failed' } as DebugProtocol.Breakpoint;
}

/** The first DAP id for data breakpoints, apart from gdb's breakpoint numbers. */
const FIRST_ID = 1_000_000;

export class DataBreakpoints implements CoverageSource {
  readonly kind = 'dataBreakpoint';
  private armed: Armed[] = [];
  private nextId = FIRST_ID;
  private generation = 0;
  private readonly coverage: CoverageTracker;
  /** Frames of watchable locals, recorded by dataBreakpointInfo (their dataIds never persist). */
  readonly scopes = new Map<string, LocalScope>();

  constructor(
    private readonly gdb: MiSender,
    private readonly engine: NativeWatchEngine,
    private readonly pid: number,
    private readonly python: boolean,
    /** Tells the user something that went wrong without failing a request (a disarm the kernel refused). */
    private readonly note: (text: string) => void = () => undefined,
  ) {
    this.coverage = new CoverageTracker(pid);
  }

  /** Opens the slots on parent threads (the main thread at launch, every thread at attach). */
  async addParents(tids: number[], progress: ParentProgress = {}, maxThreads = Infinity): Promise<void> {
    await openOnParents((chunk) => this.engine.addThreads(chunk), this.coverage, tids, progress, maxThreads);
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

  ownerOf(id: number): 'client' | 'extension' | undefined {
    return this.armed.find((a) => a.id === id)?.owner;
  }

  private freeSlots(): number[] {
    const used = new Set(this.armed.flatMap((a) => a.pieces.map((p) => p.slot)));
    return [...Array(this.engine.slots).keys()].filter((slot) => !used.has(slot));
  }

  /** The breakpoints whose coverage message changed (threads came or went), and the coverage now. */
  refreshCoverage(): { changed: number[]; coverage: Coverage } | undefined {
    if (this.armed.length === 0) {
      return undefined;
    }
    const coverage = this.coverage.current();
    const changed = refreshMessages(this.armed, (a) => coverageMessage(coverage, a.pieces.length));
    return { changed, coverage };
  }

  messageOf(id: number): string | undefined {
    return this.armed.find((a) => a.id === id)?.message;
  }

  /** What a breakpoint watches, for views: `shared_counter (8 bytes, write)`. */
  labelOf(id: number): string | undefined {
    const a = this.armed.find((x) => x.id === id);
    return a && targetLabel(a.target, a.accessType);
  }

  currentCoverage(): Coverage {
    return this.coverage.current();
  }

  /** Decides what a SIGTRAP stop in `threadId` means. */
  async onTrap(threadId: number): Promise<TrapDecision> {
    // The values as they were when this trap arrived, taken before anything awaits: when two threads
    // write close together (non-stop), the first trap's read may already include the second write, and
    // comparing the second trap against the updated value would wrongly filter it out.
    const valuesAtArrival = new Map(this.armed.map((a) => [a, a.value]));
    const info = await readTrapInfo(this.gdb, threadId, this.python);
    if (!info || info.code !== TRAP_PERF) {
      return { action: 'notOurs' };
    }
    const hit = this.find(info.address, info.perfData);
    if (!hit) {
      return { action: 'resume', note: `a trap from a watchpoint that was moved or removed (address 0x${info.address.toString(16)}) was ignored` };
    }
    const frame: FrameRef = { threadId, level: 0 };
    const before = valuesAtArrival.has(hit) ? valuesAtArrival.get(hit) : hit.value;
    const after = await readBytes(this.gdb, this.pid, hit.target.address, hit.target.length);
    hit.value = after;
    const changed = !before || !after || !before.equals(after);
    if ((hit.accessType === 'write' && !changed) || (hit.accessType === 'read' && changed)) {
      return { action: 'resume' };
    }
    if (hit.condition && !(await this.conditionHolds(hit.condition, frame))) {
      return { action: 'resume' };
    }
    hit.hits++;
    if (hit.hitTest && !hit.hitTest(hit.hits)) {
      return { action: 'resume' };
    }
    const name = targetName(hit.target);
    const change =
      hit.accessType === 'read'
        ? `read ${after ? formatBytes(after) : '?'}`
        : `${before ? formatBytes(before) : '?'} → ${after ? formatBytes(after) : '?'}`;
    const report: HitReport = {
      id: hit.id,
      name,
      accessType: hit.accessType,
      old: before ? formatBytes(before) : undefined,
      new: after ? formatBytes(after) : undefined,
    };
    return { action: 'stop', id: hit.id, description: `Data breakpoint: ${name}: ${change}`, text: `${name}: ${change}`, hit: report };
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
    this.armed = [];
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
    const id = this.nextId++;
    const generation = ++this.generation;
    const slots = free.splice(0, pieces.length);
    const placed = pieces.map((p, i) => ({ ...p, slot: slots[i] }));
    // x86 has no read-only watch: reads are emulated with read/write watching and value comparison.
    const access = accessType === 'write' ? 'write' : 'readWrite';
    const value = await readBytes(this.gdb, this.pid, target.address, target.length);
    for (const piece of placed) {
      const failures = this.engine.arm(piece.slot, piece.address, piece.length, access, (BigInt(piece.slot) << 32n) | BigInt(generation));
      if (!Array.isArray(failures)) {
        this.noteDisarm(placed, targetName(target));
        free.push(...slots);
        return failed(failures.message);
      }
      if (failures.length > 0) {
        this.noteDisarm(placed, targetName(target));
        free.push(...slots);
        return failed(`the kernel refused the watchpoint: ${failures.map((f) => `tid ${f.tid}: ${f.message}`).join('; ')}`);
      }
    }
    const coverage = this.coverage.current();
    const armed: Armed = {
      id,
      key,
      target,
      accessType,
      condition: request.condition || undefined,
      hitTest,
      hits: 0,
      pieces: placed,
      generation,
      value,
      message: coverageMessage(coverage, placed.length),
      scopeGuard: target.kind === 'local' ? await this.guardScope(request.dataId) : undefined,
      owner,
    };
    this.armed.push(armed);
    const nothingCovered = coverage.covered === 0;
    const breakpoint: DebugProtocol.Breakpoint = { id, verified: !nothingCovered, message: armed.message };
    if (nothingCovered) {
      (breakpoint as { reason?: string }).reason = 'failed';
    }
    return breakpoint;
  }

  private async disarm(armed: Armed): Promise<void> {
    this.noteDisarm(armed.pieces, targetName(armed.target));
    if (armed.scopeGuard !== undefined) {
      await gdbBreak.remove(this.gdb, [armed.scopeGuard]).catch(() => undefined);
    }
  }

  private noteDisarm(pieces: ReadonlyArray<{ slot: number }>, name: string): void {
    const failure = disarmSlots(this.engine, pieces.map((p) => p.slot), `the data breakpoint on ${name}`);
    if (failure) {
      this.note(failure);
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

  private find(address: bigint, perfData: bigint | undefined): Armed | undefined {
    if (perfData !== undefined) {
      const slot = Number(perfData >> 32n);
      const generation = Number(perfData & 0xffffffffn);
      return this.armed.find((a) => a.generation === generation && a.pieces.some((p) => p.slot === slot));
    }
    return this.armed.find((a) => a.pieces.some((p) => p.address === address));
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
