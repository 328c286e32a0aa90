/**
 * One race hunt: stall and watch (DataCollider, OSDI 2010). When a thread accesses a watched location it is held, right
 * where it stands, for `stallMs`, while the location stays watched in every other thread; another thread's access in
 * that window conflicts with the held one if either writes (raceJudge.ts). Nothing the held thread does can order the
 * two: it does nothing. Held means stopped in gdb's non-stop mode, never shown to the user; the others run on.
 *
 * Two ways to open a window: a watched target's own trap (the held thread stands just after its access), or a sampled
 * instruction of the program's code (codeSampling.ts: the held thread stands just before its access, whose bytes are
 * watched for the window only). Windows alternate with cool-downs as long as themselves, so the program runs at least
 * half the time whatever it does.
 */
import { DebugProtocol } from '@vscode/debugprotocol';
import { OutputEvent } from '@vscode/debugadapter';
import * as gdbBreak from '../gdb/commands/break';
import * as data from '../gdb/commands/data';
import * as exec from '../gdb/commands/exec';
import { listFrames } from '../gdb/commands/stack';
import { MiSender } from '../gdb/connection';
import { HuntEndEventBody, pwatchEvent, RaceAccess, RaceEventBody } from '../protocol/pwatchProtocol';
import { AccessEffects } from '../watch/accessEffects';
import { LentSample, SlotLoan } from '../watch/dataBreakpoints';
import { Piece } from '../watch/ranges';
import { ThreadIds } from '../watch/threadIds';
import { CodeSampler, PlannedStop } from './codeSampling';
import { judgePair, raceKey, reportedKind, SeenAccess } from './raceJudge';

export interface HuntHost {
  gdb: MiSender;
  pid: number;
  loan: SlotLoan;
  effects: AccessEffects;
  threadIds: ThreadIds;
  send(event: DebugProtocol.Event): void;
  /** A mark of the user's stops, taken when a window opens. */
  mark(): number;
  /** The user was shown this thread stopped since `mark`, or is pausing it: the hunt leaves it stopped when its window ends. */
  userHolds(threadId: number, mark: number): boolean;
  /** A held thread stays stopped for the user: a pause asked while it was held is reported now. */
  handOver(threadId: number): void;
}

/** A watched piece and what it is called. */
export interface HuntTarget extends Piece {
  name?: string;
}

export interface HuntOptions {
  /** Pieces to watch, one lent slot each; undefined: sample the program's own code. */
  targets?: HuntTarget[];
  stallMs: number;
}

/** One side of a pair as the hunt saw it: the access, and (filled when it is reported) where and in which stack. */
interface Side {
  seen: SeenAccess;
  threadId: number;
  pc: bigint;
  /** Its line, asked of gdb while the window is open (not before arming: every millisecond counts then). */
  place: Promise<data.CodePlace>;
  frames: () => Promise<RaceAccess['frames']>;
}

interface Window {
  slot: number;
  generation: number;
  piece: HuntTarget;
  first: Side;
  /** Sample clock (CLOCK_MONOTONIC ns) when the held thread stood still, and when it was let go. */
  start: number;
  end?: number;
  timer?: NodeJS.Timeout;
  /** The user's stops as they stood when the window opened. */
  mark?: number;
}

/** Closed windows kept to match accesses whose stop comes late (their sample time decides). */
const RECENT_WINDOWS = 32;
/** Samples whose trap stop never came (a signal merged with a step) are dropped after this long. */
const SAMPLE_TTL_NS = 5e9;
const FRAMES = 16;

const nowNs = () => Number(process.hrtime.bigint());

export class RaceHunt {
  private readonly samples: LentSample[] = [];
  private readonly windows: Window[] = [];
  private readonly open = new Map<number, Window>();
  /** Slots cooling down after a window (disarmed for targets, sampling paused for code). */
  private readonly cooling = new Set<number>();
  /** Slots whose window is being opened (the opener awaits gdb meanwhile), settled when it is open or given up. */
  private readonly claimed = new Map<number, Promise<void>>();
  private readonly races = new Map<string, RaceEventBody>();
  private readonly targets = new Map<number, HuntTarget>();
  private readonly generations = new Map<number, number>();
  private readonly sampler: CodeSampler | undefined;
  private nextRaceId = 1;
  private ended = false;
  /** gdb's exec catchpoint while the hunt runs (see onExec). */
  private execCatch: number | undefined;
  /** The program exec'd another: the hunt ended itself, and its owner ends it as the program's exit. */
  execed = false;
  stalls = 0;
  samplesSeen = 0;

  constructor(
    private readonly host: HuntHost,
    private readonly options: HuntOptions,
    sampler?: CodeSampler,
  ) {
    this.sampler = sampler;
    if (options.targets) {
      options.targets.forEach((target, i) => this.targets.set(host.loan.slots[i], target));
    }
  }

  /** Arms the targets (or places the first code samples); an error message when nothing could be armed. */
  async start(): Promise<string | undefined> {
    this.execCatch = await gdbBreak.catchEvent(this.host.gdb, 'exec').catch(() => undefined);
    for (const slot of this.targets.keys()) {
      const failure = this.arm(slot);
      if (failure) {
        return failure;
      }
    }
    return this.sampler ? this.sampler.start() : undefined;
  }

  reports(): RaceEventBody[] {
    return [...this.races.values()];
  }

  /** A sample of a lent slot (taken at whichever stop drained it). */
  accept(sample: LentSample): void {
    if (!this.ended) {
      this.samples.push(sample);
    }
  }

  hasTrap(tid: number, pc: bigint): boolean {
    return this.samples.some((s) => s.tid === tid && s.ip === pc);
  }

  /** The threads the hunt holds now (stopped in gdb, never shown stopped): a pause of one is met at once. */
  heldThreads(): number[] {
    return [...this.open.values()].map((w) => w.first.threadId);
  }

  ownsBreakpoint(number: number): boolean {
    return number === this.execCatch || (this.sampler?.owns(number) ?? false);
  }

  isExecCatch(number: number): boolean {
    return number === this.execCatch;
  }

  /**
   * The program exec'd another program: its code samples are addresses of the old one, which gdb would write into the
   * new one as it resumes, and its watched bytes are gone. The hunt ends here, before the new program runs.
   */
  async onExec(): Promise<void> {
    if (!this.ended) {
      this.host.send(new OutputEvent('pwatch: the program executed another program: the race hunt ends\n', 'console'));
    }
    this.execed = true;
    await this.stop();
  }

  /**
   * A SIGTRAP of the hunt's watch stopped `threadId` just after its access: a pair with a window open in another thread,
   * or the start of a window in this one. `mayHold`: the user is not pausing or stepping this thread.
   */
  async onTrap(threadId: number, tid: number, pc: bigint, mayHold: boolean): Promise<'hold' | 'resume'> {
    const now = nowNs();
    this.samples.splice(0, this.samples.length, ...this.samples.filter((s) => now - s.time < SAMPLE_TTL_NS));
    const index = this.samples.findIndex((s) => s.tid === tid && s.ip === pc);
    if (index < 0 || this.ended) {
      return 'resume';
    }
    const [sample] = this.samples.splice(index, 1);
    this.samplesSeen++;
    const target = this.targets.get(sample.slot) ?? this.open.get(sample.slot)?.piece ?? this.windows.find((w) => w.slot === sample.slot && w.generation === sample.generation)?.piece;
    if (!target) {
      return 'resume';
    }
    // A window is claimed before anything is awaited: two threads trapping at once must not both open one. A thread
    // that trapped while another opens one waits for it: its access may fall in that window.
    const opens = mayHold && this.targets.has(sample.slot) && this.free(sample.slot) && sample.generation === this.generations.get(sample.slot);
    const release = opens ? this.claim(sample.slot) : undefined;
    try {
      const side = await this.trappedSide(sample, threadId, target);
      if (!opens) {
        await this.claimed.get(sample.slot);
      }
      const window = this.windowFor(sample);
      if (window && side) {
        await this.pair(window, side);
        return 'resume';
      }
      if (side && opens && !this.ended) {
        this.openWindow({ slot: sample.slot, generation: sample.generation, piece: target, first: side, start: sample.time });
        return 'hold';
      }
      return 'resume';
    } finally {
      release?.();
    }
  }

  /** A sampled instruction's breakpoint stopped `threadId` before its access: a window on what it will touch, if free. */
  async onCodeSample(threadId: number, breakpointNumber: number, mayHold: boolean): Promise<'hold' | 'resume'> {
    const sampler = this.sampler;
    const slot = this.host.loan.slots[0];
    const opens = mayHold && this.free(slot);
    const release = opens ? this.claim(slot) : undefined;
    try {
      const planned = sampler ? await sampler.onHit(threadId, breakpointNumber, opens) : undefined;
      const tid = planned && (await this.host.threadIds.tidOf(threadId));
      if (!opens) {
        // Another thread is opening a window, perhaps on the bytes this one is about to touch (threads run the same
        // code together): it resumes once that window watches, so its access can be seen in it.
        await this.claimed.get(slot);
      }
      if (!planned || tid === undefined || !opens || this.ended) {
        return 'resume';
      }
      const generation = this.host.loan.arm(slot, planned.piece.address, planned.piece.length);
      if (typeof generation !== 'number') {
        return 'resume';
      }
      this.generations.set(slot, generation);
      this.openWindow({ slot, generation, piece: planned.piece, first: this.plannedSide(planned, threadId, tid), start: nowNs() });
      return 'hold';
    } finally {
      release?.();
    }
  }

  /** Claims `slot` for a window being opened; the function returned ends the claim. */
  private claim(slot: number): () => void {
    let settle = () => undefined as void;
    this.claimed.set(slot, new Promise<void>((resolve) => (settle = resolve)));
    return () => {
      this.claimed.delete(slot);
      settle();
    };
  }

  /** No window is open, claimed or cooling down on `slot`. */
  private free(slot: number): boolean {
    return !this.ended && !this.open.has(slot) && !this.claimed.has(slot) && !this.cooling.has(slot);
  }

  /** Ends the hunt: every window closes (its thread resumes), every watch and code sample goes. */
  async stop(): Promise<void> {
    if (this.ended) {
      return;
    }
    this.ended = true;
    for (const window of [...this.open.values()]) {
      clearTimeout(window.timer);
      await this.closeWindow(window);
    }
    this.host.loan.release();
    await this.sampler?.stop();
    if (this.execCatch !== undefined) {
      await gdbBreak.remove(this.host.gdb, [this.execCatch]).catch(() => undefined);
    }
  }

  private arm(slot: number): string | undefined {
    const target = this.targets.get(slot)!;
    const generation = this.host.loan.arm(slot, target.address, target.length);
    if (typeof generation === 'string') {
      return `${target.name ?? `0x${target.address.toString(16)}`} cannot be watched: ${generation}`;
    }
    this.generations.set(slot, generation);
    return undefined;
  }

  private openWindow(window: Window): void {
    this.stalls++;
    window.mark = this.host.mark();
    this.open.set(window.slot, window);
    window.timer = setTimeout(() => void this.closeWindow(window), this.options.stallMs);
  }

  private async closeWindow(window: Window): Promise<void> {
    if (this.open.get(window.slot) !== window) {
      return;
    }
    // The end is taken before the thread moves: a sample before it was made while the held thread stood still.
    window.end = nowNs();
    this.open.delete(window.slot);
    this.windows.push(window);
    this.windows.splice(0, Math.max(0, this.windows.length - RECENT_WINDOWS));
    // A code sample's watch ends with its window (the held thread must not trap on the access it is about to make);
    // a target's rests as long as the window lasted, so the program runs at least half the time.
    this.host.loan.disarm(window.slot);
    if (!this.host.userHolds(window.first.threadId, window.mark ?? 0)) {
      await exec.continueThread(this.host.gdb, window.first.threadId).catch(() => undefined);
    } else {
      this.host.handOver(window.first.threadId);
    }
    if (this.ended) {
      return;
    }
    this.cooling.add(window.slot);
    setTimeout(() => {
      this.cooling.delete(window.slot);
      if (!this.ended && this.targets.has(window.slot)) {
        this.arm(window.slot);
      }
    }, this.options.stallMs).unref();
  }

  private windowFor(sample: LentSample): Window | undefined {
    const open = this.open.get(sample.slot);
    const candidates = open ? [open, ...this.windows] : this.windows;
    return candidates.find(
      (w) => w.slot === sample.slot && w.generation === sample.generation && w.first.seen.tid !== sample.tid && w.start <= sample.time && (w.end === undefined || sample.time < w.end),
    );
  }

  private async pair(window: Window, second: Side): Promise<void> {
    const verdict = judgePair(window.first.seen, second.seen);
    if (!verdict.race) {
      return;
    }
    const first = window.first;
    const site = async (side: Side) => {
      const place = await side.place;
      return { file: place.fullname ?? place.file, line: place.line, pc: side.pc, access: reportedKind(side.seen.kind) };
    };
    const key = raceKey(await site(first), await site(second));
    if (this.countAgain(key)) {
      return;
    }
    const described = { symbol: window.piece.name ?? (await this.symbolOf(window.piece.address)), first: await this.describe(first), second: await this.describe(second) };
    // Another stop may have reported the same race while this one asked gdb.
    if (this.countAgain(key)) {
      return;
    }
    const race: RaceEventBody = { id: this.nextRaceId++, address: `0x${window.piece.address.toString(16)}`, bytes: window.piece.length, count: 1, ...described };
    this.races.set(key, race);
    this.host.send(pwatchEvent('pwatch/race', race));
    const at = (a: RaceAccess) => `thread ${a.threadId ?? `tid ${a.tid}`} ${a.access}s at ${a.frames[0]?.file ?? a.pc}:${a.frames[0]?.line ?? '?'}`;
    this.host.send(new OutputEvent(`pwatch: data race on ${race.symbol ?? race.address}: ${at(race.first)} while ${at(race.second)}\n`, 'console'));
  }

  /** A race already reported: its count grows, and the client hears the new count. */
  private countAgain(key: string): boolean {
    const known = this.races.get(key);
    if (known) {
      known.count++;
      this.host.send(pwatchEvent('pwatch/race', known));
    }
    return !!known;
  }

  private async describe(side: Side): Promise<RaceAccess> {
    const frames = await side.frames();
    const place = await side.place;
    if (frames[0] && place.line !== undefined) {
      // Frame 0 is the access itself: its own line, not the next instruction's (where a trapped thread stands).
      frames[0] = { ...frames[0], file: place.fullname ?? place.file ?? frames[0].file, line: place.line };
    }
    return { threadId: side.threadId, tid: side.seen.tid, access: reportedKind(side.seen.kind), atomic: side.seen.atomic || undefined, pc: `0x${side.pc.toString(16)}`, frames };
  }

  /** A trapped access: its instruction decoded from the sample (the thread stands just after it). */
  private async trappedSide(sample: LentSample, threadId: number, piece: Piece): Promise<Side | undefined> {
    const { decoded, place } = await this.host.effects.instructionOf({ ip: sample.ip, regs: sample.regs, piece: { ...piece, slot: sample.slot, generation: sample.generation } });
    // The watch covers a whole aligned piece; the access may touch only some of its bytes (its own array element or
    // packed field), which only its decoded operand tells. An access pwatch cannot read is never reported (precision).
    if (!decoded?.memory) {
      return undefined;
    }
    const frames = this.stackOf(threadId);
    return {
      seen: { tid: sample.tid, kind: decoded.kind, atomic: !!decoded.atomic, address: decoded.memory.address, size: decoded.memory.size },
      threadId,
      pc: decoded.start,
      place: Promise.resolve(place),
      frames: () => frames,
    };
  }

  private plannedSide(planned: PlannedStop, threadId: number, tid: number): Side {
    const frames = this.stackOf(threadId);
    const { access } = planned;
    return {
      seen: { tid, kind: access.kind, atomic: access.atomic, address: access.address, size: access.size },
      threadId,
      pc: planned.pc,
      place: planned.place,
      frames: () => frames,
    };
  }

  /** The static variable an address lies in, as gdb names it (`counter`, `cells+8`); none for heap and stacks. */
  private async symbolOf(address: bigint): Promise<string | undefined> {
    const text = await data.evaluate(this.host.gdb, `(void *) 0x${address.toString(16)}`).catch(() => '');
    return /<([^>]+)>/.exec(text)?.[1];
  }

  /** The stack of a stopped thread, asked at once (it moves on when resumed) and read when a race needs it. */
  private stackOf(threadId: number): Promise<RaceAccess['frames']> {
    return listFrames(this.host.gdb, threadId, 0, FRAMES - 1)
      .then((frames) => frames.map((f) => ({ name: f.func ?? f.addr, file: f.fullname ?? f.file, line: f.line })))
      .catch(() => []);
  }

  summary(durationMs: number, reason: HuntEndEventBody['reason']): HuntEndEventBody {
    return {
      races: this.races.size,
      samples: this.samplesSeen + (this.sampler?.hits ?? 0),
      stalls: this.stalls,
      durationMs,
      reason,
      missedThreads: this.host.loan.coverage().missed.length,
    };
  }
}
