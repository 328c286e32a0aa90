/**
 * What one sampled access did to a watched value: the instruction that made it (decoded from its function's
 * start), its line, whether it read or wrote, and the value before and after, from the value the accesses
 * before it left (the caller hands accesses over in the order they happened, whichever thread made them).
 */
import * as data from '../gdb/commands/data';
import { MiSender } from '../gdb/connection';
import { readBytes, readCode } from './memory';
import { Piece } from './ranges';
import { applyUpdate, decodeAccess, DecodedAccess, MAX_INSTRUCTION, MAX_SWEEP, SampledRegisters } from './storeDecoder';
import { ResolvedTarget } from './target';
import { ThreadIds } from './threadIds';

export type AccessType = 'read' | 'write' | 'readWrite';

/** What an access is judged against: the watched range, what counts, and the value as the last access left it. */
export interface Watched {
  target: ResolvedTarget;
  accessType: AccessType;
  value?: Buffer;
}

/** One sampled access, not judged yet. */
export interface Sampled<W extends Watched = Watched> {
  armed: W;
  piece: Piece & { slot: number; generation: number };
  tid: number;
  /** The instruction after the access (x86 traps after it). */
  ip: bigint;
  time: number;
  regs: SampledRegisters;
  /** What the access did to the watched bytes, worked out in time order with every other thread's accesses. */
  effect?: Effect;
}

/** What decoding a sampled access needs: the instruction after it, the registers, the watched piece. */
export type SampledAccess = Pick<Sampled, 'ip' | 'regs' | 'piece'>;

/** An access's effect on its breakpoint's value, in the order the accesses happened (whichever thread stops first). */
export interface Effect {
  decoded?: DecodedAccess;
  place: data.CodePlace;
  before?: Buffer;
  after?: Buffer;
  /** The new value was read at the stop, not known from the access. */
  valueNow: boolean;
  /** It passes the access type's filter (a changed value for write, a read for read). */
  relevant: boolean;
}

/** The `size` bytes at `address` out of `bytes`, which start at `start` (zeros where they do not reach). */
function slice(bytes: Buffer, start: bigint, address: bigint, size: number): Buffer {
  const out = Buffer.alloc(size);
  const offset = Number(address - start);
  for (let i = 0; i < size; i++) {
    out[i] = offset + i >= 0 && offset + i < bytes.length ? bytes[offset + i] : 0;
  }
  return out;
}

/** `bytes` written at `address` laid over a copy of `before`, the watched bytes from `start`. */
function overlay(before: Buffer, start: bigint, written: { address: bigint; bytes: Buffer }): Buffer {
  const after = Buffer.from(before);
  const offset = Number(written.address - start);
  written.bytes.forEach((byte, i) => {
    if (offset + i >= 0 && offset + i < after.length) {
      after[offset + i] = byte;
    }
  });
  return after;
}

export class AccessEffects {
  private readonly places = new Map<bigint, data.CodePlace>();
  /** Where the instruction before each trapping pc starts, once decoded forward from its function's start. */
  private readonly starts = new Map<bigint, bigint>();

  constructor(
    private readonly gdb: MiSender,
    private readonly pid: number,
    private readonly threadIds: ThreadIds,
  ) {}

  /** What `access` did, given the value the accesses before it left (the caller goes in time order). */
  async effectOf(access: Sampled): Promise<Effect> {
    const armed = access.armed;
    // pc - 1 lies inside the accessing instruction: its line, and its function's start to decode from.
    const place = await this.placeOf(access.ip - 1n);
    const decoded = await this.decode(access, place.functionStart);
    const before = armed.value;
    let after: Buffer | undefined;
    let valueNow = false;
    if (decoded?.kind === 'read') {
      after = before;
    } else if (before && (decoded?.written || decoded?.vectorSource || decoded?.update)) {
      const update = decoded.update;
      const written = update
        ? { address: update.address, bytes: applyUpdate(update, slice(before, armed.target.address, update.address, update.size)) }
        : (decoded.written ?? (await this.vectorStore(access, decoded.vectorSource!)));
      after = written ? overlay(before, armed.target.address, written) : await readBytes(this.gdb, this.pid, armed.target.address, armed.target.length);
      valueNow = !written;
    } else {
      after = await readBytes(this.gdb, this.pid, armed.target.address, armed.target.length);
      valueNow = true;
    }
    armed.value = after;
    const changed = !before || !after || !before.equals(after);
    const read = decoded ? decoded.kind !== 'write' : !changed;
    const relevant = !((armed.accessType === 'write' && !changed) || (armed.accessType === 'read' && !read));
    return { decoded, place, before, after, valueNow, relevant };
  }

  /** The instruction that made a sampled access to `piece` and where it is, with no value judged (a race hunt's accesses). */
  async instructionOf(access: SampledAccess): Promise<{ decoded?: DecodedAccess; place: data.CodePlace }> {
    const place = await this.placeOf(access.ip - 1n);
    return { decoded: await this.decode(access, place.functionStart), place };
  }

  private async decode(access: SampledAccess, functionStart: bigint | undefined): Promise<DecodedAccess | undefined> {
    if (access.regs.size === 0) {
      return undefined;
    }
    // Once an instruction's start is known, later accesses by it read and decode that instruction alone, not its
    // function from the start (a trap in a loop would otherwise sweep the function on every access).
    const known = this.starts.get(access.ip);
    const sweep = known !== undefined || (functionStart !== undefined && functionStart < access.ip && access.ip - functionStart <= BigInt(MAX_SWEEP));
    const codeStart = known ?? (sweep ? functionStart! : access.ip - BigInt(MAX_INSTRUCTION));
    const code = await readCode(this.gdb, this.pid, codeStart, Number(access.ip - codeStart));
    if (!code) {
      return undefined;
    }
    try {
      const decoded = decodeAccess(code, codeStart, sweep, access.ip, access.regs, access.piece.address, access.piece.length);
      if (decoded && sweep) {
        this.starts.set(access.ip, decoded.start);
      }
      return decoded;
    } catch {
      return undefined; // the decoder refused these bytes: the access is judged by its value now
    }
  }

  /** What a vector move stored, read from its register while the thread still stands right after it. */
  private async vectorStore(access: Sampled, source: NonNullable<DecodedAccess['vectorSource']>): Promise<{ address: bigint; bytes: Buffer } | undefined> {
    const threadId = await this.threadIds.idOf(access.tid);
    if (threadId === undefined) {
      return undefined;
    }
    const frame = { threadId, level: 0 };
    try {
      if (BigInt(/0x[0-9a-f]+/i.exec(await data.evaluate(this.gdb, '$pc', frame))?.[0] ?? -1) !== access.ip) {
        return undefined;
      }
      // The register's bytes, low first: as 128-bit lanes (gdb would fold a byte view's repeats: {0 <repeats 12 times>, ...}).
      const view = source.register.startsWith('y') ? 'v2_int128' : 'uint128';
      const lanes = (await data.evaluate(this.gdb, `$${source.register}.${view}`, frame)).match(/-?\d+/g) ?? [];
      const bytes = Buffer.alloc(lanes.length * 16);
      lanes.forEach((lane, i) => {
        const value = BigInt.asUintN(128, BigInt(lane));
        bytes.writeBigUInt64LE(BigInt.asUintN(64, value), i * 16);
        bytes.writeBigUInt64LE(value >> 64n, i * 16 + 8);
      });
      if (bytes.length < source.size) {
        return undefined;
      }
      return { address: source.address, bytes: bytes.subarray(0, source.size) };
    } catch {
      return undefined;
    }
  }

  async placeOf(address: bigint): Promise<data.CodePlace> {
    const known = this.places.get(address);
    if (known) {
      return known;
    }
    const place = await data.codePlace(this.gdb, address).catch(() => ({}));
    this.places.set(address, place);
    return place;
  }
}
