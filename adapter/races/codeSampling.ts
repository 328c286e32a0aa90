/**
 * The whole-program hunt's samples: code breakpoints on instructions of the program's own code that access memory
 * other threads may share (codeSamples.ts), chosen at random, as DataCollider samples. A breakpoint goes away once hit
 * and another takes its place; those not hit for a while are moved elsewhere, so every instruction gets its turn
 * whether its code is hot or cold. libc, the dynamic loader and other libraries are not sampled: their shared data is
 * behind locks and atomics of their own.
 */
import * as fs from 'fs';
import * as gdbBreak from '../gdb/commands/break';
import * as data from '../gdb/commands/data';
import { MiSender } from '../gdb/connection';
import { elfSection } from '../program/elfSections';
import { functionSymbols } from '../program/elfSymbols';
import { mappings } from '../program/mappings';
import { AccessEffects } from '../watch/accessEffects';
import { Piece, splitRange } from '../watch/ranges';
import { MAX_INSTRUCTION } from '../watch/storeDecoder';
import { memoryInstructions, PlannedAccess, plannedAccess } from './codeSamples';

/** A sampled instruction a thread stands at, what it will touch, and the piece a debug register watches of it. */
export interface PlannedStop {
  pc: bigint;
  access: PlannedAccess;
  piece: Piece;
  /** Asked of gdb once the window is armed. */
  place: Promise<data.CodePlace>;
}

/** Breakpoints placed at once; a hit one is replaced at once, an idle one after ROTATE_MS. */
const PLACED = 24;
const ROTATE_MS = 1000;
/** The 64-bit general registers an address can be computed from. */
const GENERAL = ['rax', 'rbx', 'rcx', 'rdx', 'rsi', 'rdi', 'rbp', 'rsp', 'r8', 'r9', 'r10', 'r11', 'r12', 'r13', 'r14', 'r15'];

/** The program's code as its file holds it (no breakpoint's int3 in it), at its run-time address. */
export interface ProgramCode {
  bytes: Buffer;
  start: bigint;
  /** The instructions worth sampling. */
  candidates: bigint[];
}

/** The program's memory-accessing instructions at their run-time addresses, or why there are none. */
export function programInstructions(pid: number): ProgramCode | string {
  let exe: string;
  try {
    exe = fs.readlinkSync(`/proc/${pid}/exe`);
  } catch (e) {
    return `the program's executable cannot be read (${(e as Error).message})`;
  }
  const text = elfSection(exe, '.text', 64 << 20);
  if (!text) {
    return `${exe} has no readable .text section to sample`;
  }
  // A position-independent executable is loaded at a bias: where its first mapping (file offset 0) starts.
  const first = mappings(pid).find((m) => m.path === exe && m.offset === 0n);
  const bias = text.relocatable ? (first?.start ?? 0n) : 0n;
  const start = BigInt(text.address) + bias;
  const candidates = programFunctions(exe, text.address, text.bytes.length).flatMap(([offset, size]) =>
    memoryInstructions(text.bytes.subarray(offset, offset + size), start + BigInt(offset)),
  );
  return candidates.length > 0 ? { bytes: text.bytes, start, candidates } : `${exe} has no instruction that accesses shared memory`;
}

/**
 * The stretches of .text to decode, [offset, size]: each function of the program's own (not the C runtime's start-up
 * and tear-down, whose names start with an underscore; C++ and Rust names, `_Z`/`_R`, are the program's), decoded
 * from its start. A stripped program: the whole section, decoded linearly (compilers put no data in x86-64 .text).
 */
function programFunctions(exe: string, textAddress: number, textSize: number): Array<[number, number]> {
  const functions = functionSymbols(exe);
  if (!functions) {
    return [[0, textSize]];
  }
  return functions
    .filter((f) => (!f.name.startsWith('_') || /^_[ZR]/.test(f.name)) && f.address >= textAddress && f.address + f.size <= textAddress + textSize)
    .map((f) => [f.address - textAddress, f.size]);
}

export class CodeSampler {
  hits = 0;
  /** Breakpoint number → its instruction, for the breakpoints placed now. */
  private readonly placed = new Map<number, bigint>();
  /** Every number this hunt used: a hit may arrive after its breakpoint was removed (another thread hit it first). */
  private readonly used = new Set<number>();
  private readonly hitSinceRotation = new Set<number>();
  private rotation: NodeJS.Timeout | undefined;
  private registerNumbers: string[] | undefined;
  private stopped = false;
  /** Refills under way: stop() waits for them, so no insert it did not see lands after it (or after an exec). */
  private readonly refills = new Set<Promise<void>>();

  constructor(
    private readonly gdb: MiSender,
    private readonly effects: AccessEffects,
    private readonly code: ProgramCode,
    private readonly random: () => number = Math.random,
  ) {}

  async start(): Promise<string | undefined> {
    await this.refill();
    if (this.placed.size === 0) {
      return 'no code breakpoint could be placed in the program';
    }
    this.rotation = setInterval(() => void this.rotate(), ROTATE_MS);
    return undefined;
  }

  owns(number: number): boolean {
    return this.used.has(number);
  }

  /**
   * `threadId` stopped at sampled breakpoint `number`: the breakpoint goes (another is placed), and when `plan`, what the
   * instruction is about to access is worked out from the thread's registers.
   */
  async onHit(threadId: number, number: number, plan: boolean): Promise<PlannedStop | undefined> {
    const pc = this.placed.get(number);
    this.placed.delete(number);
    this.hitSinceRotation.add(number);
    if (pc === undefined) {
      return undefined;
    }
    this.hits++;
    // Planned first (every millisecond before the watch is armed lets other threads' accesses go unseen); gdb deletes
    // the breakpoint before it resumes the thread (it takes commands in order).
    const planned = plan ? await this.plan(threadId, pc) : undefined;
    void gdbBreak
      .remove(this.gdb, [number])
      .catch(() => undefined)
      .then(() => this.refill());
    return planned;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.rotation);
    // Each ends after the insert it waits for, removing what that placed (stopped is set).
    await Promise.all(this.refills);
    const numbers = [...this.placed.keys()];
    this.placed.clear();
    await gdbBreak.remove(this.gdb, numbers).catch(() => undefined);
  }

  private async plan(threadId: number, pc: bigint): Promise<PlannedStop | undefined> {
    const regs = await this.registers(threadId);
    if (!regs) {
      return undefined;
    }
    // From the file, not from memory: there the instruction starts with the breakpoint's int3.
    const offset = Number(pc - this.code.start);
    const access = plannedAccess(this.code.bytes.subarray(offset, offset + MAX_INSTRUCTION), pc, regs);
    if (!access) {
      return undefined;
    }
    // One debug register: the aligned piece (up to 8 bytes) holding the access's first byte.
    const length = Math.min(access.size, 8);
    const aligned = access.address - (access.address % BigInt(length));
    const piece = splitRange(aligned, length)[0];
    return { pc, access, piece, place: this.effects.placeOf(pc) };
  }

  private async registers(threadId: number): Promise<Map<string, bigint> | undefined> {
    try {
      this.registerNumbers ??= await data.registerNames(this.gdb);
      const values = await data.registerValues(this.gdb, { threadId, level: 0 }, 'x', GENERAL.map((name) => this.registerNumbers!.indexOf(name)));
      return new Map(values.map((v) => [this.registerNumbers![v.number], BigInt.asUintN(64, BigInt(v.value))]));
    } catch {
      return undefined;
    }
  }

  /** Places breakpoints on random candidates until PLACED are placed. */
  private refill(): Promise<void> {
    const refill = this.placeMore().finally(() => this.refills.delete(refill));
    this.refills.add(refill);
    return refill;
  }

  private async placeMore(): Promise<void> {
    const taken = new Set(this.placed.values());
    const candidates = this.code.candidates;
    for (let tries = 0; this.placed.size < Math.min(PLACED, candidates.length) && tries < PLACED * 4 && !this.stopped; tries++) {
      const pc = candidates[Math.floor(this.random() * candidates.length)];
      if (taken.has(pc)) {
        continue;
      }
      taken.add(pc);
      const breakpoint = await gdbBreak.insertAtInstruction(this.gdb, pc).catch(() => undefined);
      if (breakpoint) {
        // The hunt's even when it ended meanwhile: a thread may hit it before it goes, and that stop is the hunt's.
        this.used.add(breakpoint.number);
      }
      if (breakpoint && !this.stopped) {
        this.placed.set(breakpoint.number, pc);
      } else if (breakpoint) {
        await gdbBreak.remove(this.gdb, [breakpoint.number]).catch(() => undefined);
      }
    }
  }

  /** Breakpoints idle since the last rotation move elsewhere (their code does not run now). */
  private async rotate(): Promise<void> {
    const idle = [...this.placed.keys()].filter((n) => !this.hitSinceRotation.has(n));
    this.hitSinceRotation.clear();
    const moved = idle.slice(0, Math.ceil(idle.length / 2));
    for (const number of moved) {
      this.placed.delete(number);
    }
    await gdbBreak.remove(this.gdb, moved).catch(() => undefined);
    await this.refill();
  }
}
