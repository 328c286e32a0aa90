/**
 * Whether two accesses seen by a hunt are a race, and which reports are the same race. Pure: the hunt (raceHunt.ts)
 * feeds it what it decoded; unit-tested on its own (test/unit/raceJudge.test.ts).
 *
 * The stall makes concurrency certain (the first thread stood still between its access and the second's), so what is
 * left to decide is whether the two accesses conflict. Precision comes before recall: a pair is reported only when
 * no reading of the instructions makes it race-free.
 */

export interface SeenAccess {
  tid: number;
  kind: 'read' | 'write' | 'readWrite';
  /** A lock-prefixed instruction or an xchg with memory (implicitly locked). */
  atomic: boolean;
  /** [address, address + size) the instruction touched. */
  address: bigint;
  size: number;
}

export type Verdict = { race: true } | { race: false; why: string };

const writes = (a: SeenAccess) => a.kind !== 'read';

/**
 * x86 compiles atomic loads (C11, C++ std::atomic, `#pragma omp atomic read`, any order) and release stores to plain
 * moves: a plain move may be an atomic. Only locked instructions and xchg are known atomics. So a pair is not
 * reported when both are known atomics, nor when one is a known atomic and the other a plain load (it may be an atomic
 * load: a flag spun on with acquire loads). A plain store against anything is reported: a seq_cst or RMW atomic
 * store compiles to xchg or a locked instruction, so a plain move store racing with another access is either a
 * relaxed/release atomic store (whose loads would be atomic too; reported: pwatch cannot tell) or a plain store.
 */
export function judgePair(first: SeenAccess, second: SeenAccess): Verdict {
  if (first.tid === second.tid) {
    return { race: false, why: 'same thread' };
  }
  if (!writes(first) && !writes(second)) {
    return { race: false, why: 'both read' };
  }
  const overlap = first.address < second.address + BigInt(second.size) && second.address < first.address + BigInt(first.size);
  if (!overlap) {
    return { race: false, why: 'different bytes' };
  }
  if (first.atomic && second.atomic) {
    return { race: false, why: 'both atomic' };
  }
  if ((first.atomic && second.kind === 'read') || (second.atomic && first.kind === 'read')) {
    return { race: false, why: 'an atomic against a load that may be atomic' };
  }
  return { race: true };
}

/** Where one side of a race is, for merging: its source line when known, else its instruction. */
export interface RaceSite {
  file?: string;
  line?: number;
  pc: bigint;
  access: 'read' | 'write';
}

function siteKey(site: RaceSite): string {
  return `${site.access}@${site.file !== undefined && site.line !== undefined ? `${site.file}:${site.line}` : `0x${site.pc.toString(16)}`}`;
}

/** The same pair of source lines (either order) is one race, reported once with a count. */
export function raceKey(a: RaceSite, b: RaceSite): string {
  return [siteKey(a), siteKey(b)].sort().join(' | ');
}

/** The access a hunt reports for a side: a read-modify-write is a write. */
export function reportedKind(kind: SeenAccess['kind']): 'read' | 'write' {
  return kind === 'read' ? 'read' : 'write';
}
