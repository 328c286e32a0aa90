/**
 * The one table of debug register slots behind data breakpoints and data logpoints: which entry holds which slots
 * (and the engine's generation of each arming, which samples carry), ids, owners, coverage, arming a range in one
 * pass (all pieces or none), disarming with failures told, and slots lent out (a race hunt's). DataBreakpoints and
 * DataLogpoints each keep one and add only what differs: judging accesses, or counting them.
 */
import { NativeSlotEngine } from '../native/addon';
import { Coverage, coverageMessage, CoverageTracker, refreshMessages } from './coverage';
import { disarmSlots } from './disarm';
import { openOnParents, ParentProgress } from './parents';
import { Piece } from './ranges';
import { ResolvedTarget, targetName } from './target';

/** A piece of a watched range on its slot, with the generation of its arming. */
export type PlacedPiece = Piece & { slot: number; generation: number };

/** What the table needs of an entry; each engine's entries add their own fields. */
export interface SlotEntry {
  id: number;
  /** What was asked for (dataId and access type): a repeated set keeps an entry that is asked for again. */
  key: string;
  target: ResolvedTarget;
  pieces: PlacedPiece[];
  message: string;
  /** client: part of the DAP (or pwatch/setDataLogpoints) set; extension: added by the editor's own commands. */
  owner: 'client' | 'extension';
}

export function slotKey(dataId: string, accessType: string | undefined): string {
  return `${dataId}|${accessType ?? 'write'}`;
}

/** An access sampled on a slot lent out: its thread, the instruction after it, when, its registers. */
export interface LentSample<R> {
  slot: number;
  generation: number;
  tid: number;
  ip: bigint;
  time: number;
  regs: R;
}

/** Slots lent to another owner (a race hunt): the same events in every thread, samples handed to the borrower. */
export interface SlotLoan {
  readonly slots: readonly number[];
  /** Watches reads and writes of one piece in every covered thread: a generation, or why not. */
  arm(slot: number, address: bigint, length: Piece['length']): number | string;
  disarm(slot: number): void;
  /** Disarms every lent slot and gives them back. */
  release(): void;
  coverage(): Coverage;
}

export class SlotTable<E extends SlotEntry, R = unknown> {
  entries: E[] = [];
  private nextId: number;
  private readonly coverage: CoverageTracker;
  private readonly lent = new Map<number, (sample: LentSample<R>) => void>();

  constructor(
    readonly engine: NativeSlotEngine,
    pid: number,
    firstId: number,
    /** What one entry is called in messages: "data breakpoint", "data logpoint". */
    private readonly noun: string,
    /** Tells the user something that went wrong without failing a request (a disarm the kernel refused). */
    private readonly note: (text: string) => void,
    /** In every sig_data armed (data breakpoints: pwatch's tag and the slot); none for data logpoints. */
    private readonly sigData?: (slot: number) => bigint,
  ) {
    this.nextId = firstId;
    this.coverage = new CoverageTracker(pid);
  }

  get slots(): number {
    return this.engine.slots;
  }

  newId(): number {
    return this.nextId++;
  }

  /** Opens the slots on parent threads (the main thread at launch, every thread at attach). */
  async addParents(tids: number[], progress: ParentProgress = {}, maxThreads = Infinity): Promise<void> {
    await openOnParents((chunk) => this.engine.addThreads(chunk), this.coverage, tids, progress, maxThreads);
  }

  currentCoverage(): Coverage {
    return this.coverage.current();
  }

  /** Slots neither an entry nor a loan holds. */
  freeSlots(): number[] {
    const used = new Set([...this.entries.flatMap((e) => e.pieces.map((p) => p.slot)), ...this.lent.keys()]);
    return [...Array(this.engine.slots).keys()].filter((slot) => !used.has(slot));
  }

  /**
   * Arms every piece on the first free slots (taken from `free`), or none: a piece the kernel refuses disarms those
   * armed before it and gives their slots back. The placed pieces, or why not.
   */
  arm(pieces: Piece[], free: number[], access: 'write' | 'readWrite', name: string): PlacedPiece[] | string {
    const slots = free.splice(0, pieces.length);
    const placed: PlacedPiece[] = [];
    for (const [i, piece] of pieces.entries()) {
      const slot = slots[i];
      const armed = this.engine.arm(slot, piece.address, piece.length, access, this.sigData?.(slot));
      const failure = 'message' in armed ? armed : armed.failures[0];
      if (failure) {
        this.disarm([...placed, { slot }], name);
        free.unshift(...slots);
        const where = 'tid' in failure ? `tid ${failure.tid}: ` : '';
        return `the kernel refused the ${this.noun}: ${where}${failure.message}`;
      }
      placed.push({ ...piece, slot, generation: (armed as { generation: number }).generation });
    }
    return placed;
  }

  disarm(pieces: ReadonlyArray<{ slot: number }>, name: string): void {
    const failure = disarmSlots(this.engine, pieces.map((p) => p.slot), `the ${this.noun} on ${name}`);
    if (failure) {
      this.note(failure);
    }
  }

  /** Disarms an entry and forgets it. */
  remove(entry: E): void {
    this.disarm(entry.pieces, targetName(entry.target));
    this.entries = this.entries.filter((e) => e !== entry);
  }

  /** The entry a sample of (slot, generation) belongs to: none when the slot was re-armed since. */
  entryOf(slot: number, generation: number): E | undefined {
    return this.entries.find((e) => e.pieces.some((p) => p.slot === slot && p.generation === generation));
  }

  /** Who takes the samples of a lent slot, if it is lent. */
  borrowerOf(slot: number): ((sample: LentSample<R>) => void) | undefined {
    return this.lent.get(slot);
  }

  find(id: number): E | undefined {
    return this.entries.find((e) => e.id === id);
  }

  messageOf(id: number): string | undefined {
    return this.find(id)?.message;
  }

  ownerOf(id: number): E['owner'] | undefined {
    return this.find(id)?.owner;
  }

  /** The entries whose coverage message changed (threads came or went), and the coverage now. */
  refreshCoverage(messageOf: (coverage: Coverage, registers: number) => string = coverageMessage): { changed: number[]; coverage: Coverage } | undefined {
    if (this.entries.length === 0) {
      return undefined;
    }
    const coverage = this.coverage.current();
    const changed = refreshMessages(this.entries, (e) => messageOf(coverage, e.pieces.length));
    return { changed, coverage };
  }

  /** Lends `count` free slots, or says why none can be lent. */
  lend(count: number, onSample: (sample: LentSample<R>) => void): SlotLoan | string {
    const free = this.freeSlots();
    if (free.length < count) {
      return `${count} debug register${count > 1 ? 's are' : ' is'} needed, ${free.length} of ${this.engine.slots} free (${this.noun}s hold the rest): remove a ${this.noun}`;
    }
    const slots = free.slice(0, count);
    for (const slot of slots) {
      this.lent.set(slot, onSample);
    }
    const disarm = (slot: number) => this.disarm([{ slot }], 'a lent register');
    return {
      slots,
      arm: (slot, address, length) => {
        const placed = this.arm([{ address, length }], [slot], 'readWrite', 'a lent register');
        return typeof placed === 'string' ? placed : placed[0].generation;
      },
      disarm,
      release: () => {
        for (const slot of slots) {
          if (this.lent.delete(slot)) {
            disarm(slot);
          }
        }
      },
      coverage: () => this.coverage.current(),
    };
  }

  /** Forgets every entry and loan (the engine is closed by its owner). */
  clear(): void {
    this.entries = [];
    this.lent.clear();
  }
}
