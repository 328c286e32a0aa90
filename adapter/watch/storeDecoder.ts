/**
 * What one trapped instruction did to the watched memory, read from the instruction itself: x86 traps after
 * the access, so the sample's pc is the *next* instruction, and the registers sampled at the trap still hold
 * what a store wrote. Knowing the instruction gives three things nothing else gives exactly:
 *  - the line of the access (the instruction's own address, not the next one's);
 *  - whether it read or wrote the watched bytes (x86 has no read-only watch: `read` is decided here);
 *  - the value *this* thread wrote, even when other threads wrote after it and before the stop.
 * The decoder is iced-x86 (a maintained decoder, compiled to WebAssembly: no native build, no gdb round trip).
 */
import { Decoder, DecoderOptions, Instruction, InstructionInfoFactory, MemorySizeExt, Mnemonic, OpAccess, OpKind, Register } from 'iced-x86';
import { SAMPLED_REGISTERS } from '../native/addon';

export type SampledRegisters = ReadonlyMap<string, bigint>;

export interface DecodedAccess {
  /** Where the instruction that made the access starts. */
  start: bigint;
  /** read, write, or both (an add to memory, an xchg). */
  kind: 'read' | 'write' | 'readWrite';
  /** A lock-prefixed instruction or an xchg with memory (locked without a prefix). */
  atomic?: boolean;
  /** The bytes a plain store wrote, at `address`; undefined when they cannot be known (a read-modify-write, a vector register). */
  written?: { address: bigint; bytes: Buffer };
  /**
   * A move to memory from a vector register (`movss %xmm0, x`: floats): perf samples no vector registers, so
   * its value is known only while the thread still stands right after it (gdb reads the register then).
   */
  vectorSource?: { register: string; address: bigint; size: number };
  /**
   * A read-modify-write with an operand the sample holds (`lock addq $1, x`, `x ^= r`): the new value follows
   * from the value before it, which the judged order of accesses knows.
   */
  update?: { op: UpdateOp; operand: bigint; address: bigint; size: number };
  /** The bytes the access touched, when its registers still give its address (a race hunt judges overlap by them). */
  memory?: { address: bigint; size: number };
}

export type UpdateOp = 'add' | 'sub' | 'and' | 'or' | 'xor' | 'inc' | 'dec' | 'neg' | 'not';

const UPDATES = new Map<Mnemonic, UpdateOp>([
  [Mnemonic.Add, 'add'],
  [Mnemonic.Sub, 'sub'],
  [Mnemonic.And, 'and'],
  [Mnemonic.Or, 'or'],
  [Mnemonic.Xor, 'xor'],
  [Mnemonic.Inc, 'inc'],
  [Mnemonic.Dec, 'dec'],
  [Mnemonic.Neg, 'neg'],
  [Mnemonic.Not, 'not'],
]);

/** The bytes `update` leaves at its address, from the `size` bytes that were there. */
export function applyUpdate(update: NonNullable<DecodedAccess['update']>, old: Buffer): Buffer {
  const bits = BigInt(update.size * 8);
  const padded = Buffer.alloc(8);
  old.copy(padded, 0, 0, Math.min(8, old.length));
  const value = padded.readBigUInt64LE(0);
  const operand = update.operand;
  const results: Record<UpdateOp, bigint> = {
    add: value + operand,
    sub: value - operand,
    and: value & operand,
    or: value | operand,
    xor: value ^ operand,
    inc: value + 1n,
    dec: value - 1n,
    neg: -value,
    not: ~value,
  };
  const out = Buffer.alloc(8);
  out.writeBigUInt64LE(BigInt.asUintN(Number(bits), results[update.op]));
  return out.subarray(0, update.size);
}

/** The longest x86 instruction. */
export const MAX_INSTRUCTION = 15;

/** Registers as perf sampled them, by name. */
export function registerMap(words: ArrayLike<bigint>): SampledRegisters {
  return new Map(SAMPLED_REGISTERS.map((name, i) => [name, words[i] ?? 0n]));
}

// General registers by iced's name: the 64-bit register that holds them, byte offset and width.
const GPR_PARTS: Record<string, [string, number, number]> = (() => {
  const parts: Record<string, [string, number, number]> = {};
  const legacy: Array<[string, string, string, string, string?]> = [
    ['rax', 'EAX', 'AX', 'AL', 'AH'],
    ['rbx', 'EBX', 'BX', 'BL', 'BH'],
    ['rcx', 'ECX', 'CX', 'CL', 'CH'],
    ['rdx', 'EDX', 'DX', 'DL', 'DH'],
    ['rsi', 'ESI', 'SI', 'SIL'],
    ['rdi', 'EDI', 'DI', 'DIL'],
    ['rbp', 'EBP', 'BP', 'BPL'],
    ['rsp', 'ESP', 'SP', 'SPL'],
  ];
  for (const [full, d, w, l, h] of legacy) {
    parts[full.toUpperCase()] = [full, 0, 8];
    parts[d] = [full, 0, 4];
    parts[w] = [full, 0, 2];
    parts[l] = [full, 0, 1];
    if (h) {
      parts[h] = [full, 1, 1];
    }
  }
  for (let n = 8; n <= 15; n++) {
    parts[`R${n}`] = [`r${n}`, 0, 8];
    parts[`R${n}D`] = [`r${n}`, 0, 4];
    parts[`R${n}W`] = [`r${n}`, 0, 2];
    parts[`R${n}L`] = [`r${n}`, 0, 1];
  }
  return parts;
})();

function registerBytes(register: Register, regs: SampledRegisters): Buffer | undefined {
  const part = GPR_PARTS[Register[register]];
  if (!part) {
    return undefined;
  }
  const whole = Buffer.alloc(8);
  whole.writeBigUInt64LE(BigInt.asUintN(64, regs.get(part[0]) ?? 0n));
  return whole.subarray(part[1], part[1] + part[2]);
}

export function registerValue(register: Register, regs: SampledRegisters): bigint {
  const bytes = registerBytes(register, regs);
  if (!bytes) {
    return 0n;
  }
  const padded = Buffer.alloc(8);
  bytes.copy(padded);
  return padded.readBigUInt64LE();
}

/** The longest stretch of code decoded from a function's start to find where the trapped instruction begins. */
export const MAX_SWEEP = 256 * 1024;

/**
 * Decodes the instruction that ends at `ip` and touches [watchStart, watchStart + watchLength). `code` holds the
 * bytes before `ip`, starting at `codeStart`. x86 code cannot be decoded backwards: when `codeStart` is an
 * instruction boundary (the function's start) the bytes are decoded forward from it, which is exact; otherwise
 * every start within the last 15 bytes is tried, longest first (a shorter tail of a RIP-relative store decodes as
 * another instruction with the same target), and only one that ends exactly at `ip` and addresses the watched
 * bytes with the sampled registers is taken.
 */
export function decodeAccess(
  code: Buffer,
  codeStart: bigint,
  boundary: boolean,
  ip: bigint,
  regs: SampledRegisters,
  watchStart: bigint,
  watchLength: number,
): DecodedAccess | undefined {
  const factory = new InstructionInfoFactory();
  try {
    const start = boundary ? startBySweep(code, codeStart, ip) : undefined;
    if (start !== undefined) {
      return decodeAt(factory, code.subarray(Number(start - codeStart)), start, regs, watchStart, watchLength, true);
    }
    for (let length = Math.min(MAX_INSTRUCTION, code.length); length >= 1; length--) {
      const found = decodeAt(factory, code.subarray(code.length - length), ip - BigInt(length), regs, watchStart, watchLength);
      if (found) {
        return found;
      }
    }
    return undefined;
  } finally {
    factory.free();
  }
}

/** Decodes forward from `codeStart` (an instruction boundary) to the instruction that ends at `ip`. */
function startBySweep(code: Buffer, codeStart: bigint, ip: bigint): bigint | undefined {
  const decoder = new Decoder(64, new Uint8Array(code), DecoderOptions.None);
  decoder.ip = codeStart;
  const instruction = new Instruction();
  try {
    while (decoder.canDecode) {
      const at = decoder.ip;
      decoder.decodeOut(instruction);
      if (decoder.ip === ip) {
        return at;
      }
      if (decoder.ip > ip) {
        return undefined;
      }
    }
    return undefined;
  } finally {
    instruction.free();
    decoder.free();
  }
}

function decodeAt(
  factory: InstructionInfoFactory,
  bytes: Buffer,
  start: bigint,
  regs: SampledRegisters,
  watchStart: bigint,
  watchLength: number,
  /**
   * The instruction is known to be the one that trapped (decoded forward from its function's start): when the
   * registers no longer give its address (`mov (%rax), %eax` overwrote its own base), its one memory operand is
   * still the access.
   */
  known = false,
): DecodedAccess | undefined {
  const decoder = new Decoder(64, new Uint8Array(bytes), DecoderOptions.None);
  decoder.ip = start;
  const instruction = decoder.decode();
  try {
    if (instruction.isInvalid || instruction.length !== bytes.length) {
      return undefined;
    }
    const info = factory.info(instruction);
    const used = info.usedMemory();
    let kind: DecodedAccess['kind'] | undefined;
    let address = 0n;
    let size = 0;
    let only: { access: OpAccess; size: number } | undefined;
    for (const memory of used) {
      const base = memory.base === Register.RIP ? instruction.nextIP : memory.base === Register.None ? 0n : registerValue(memory.base, regs);
      const index = memory.index === Register.None ? 0n : registerValue(memory.index, regs) * BigInt(memory.scale);
      const at = BigInt.asUintN(64, base + index + memory.displacement);
      const width = Math.max(1, MemorySizeExt.size(memory.memorySize));
      const overlaps = at < watchStart + BigInt(watchLength) && watchStart < at + BigInt(width);
      if (overlaps) {
        kind = accessKind(memory.access, kind);
        address = at;
        size = width;
      }
      only = used.length === 1 ? { access: memory.access, size: width } : undefined;
      memory.free();
    }
    info.free();
    const atomic = isAtomic(instruction);
    if (!kind && known && only) {
      // Its kind is certain; what it stored is not (the address it used is gone): no value from it.
      return { start, kind: accessKind(only.access, undefined), atomic };
    }
    if (!kind) {
      return undefined;
    }
    const written = kind === 'write' ? storedBytes(instruction, regs, address, size) : undefined;
    return {
      start,
      kind,
      atomic,
      memory: { address, size },
      written,
      vectorSource: kind === 'write' && !written ? vectorSource(instruction, address, size) : undefined,
      update: kind === 'readWrite' ? updateOf(instruction, regs, address, size) : undefined,
    };
  } finally {
    instruction.free();
    decoder.free();
  }
}

export function isAtomic(instruction: IcedInstruction): boolean {
  return instruction.hasLockPrefix || instruction.mnemonic === Mnemonic.Xchg;
}

export function accessKind(access: OpAccess, before: DecodedAccess['kind'] | undefined): DecodedAccess['kind'] {
  const reads = access === OpAccess.Read || access === OpAccess.CondRead || access === OpAccess.ReadWrite || access === OpAccess.ReadCondWrite;
  const writes = access === OpAccess.Write || access === OpAccess.CondWrite || access === OpAccess.ReadWrite || access === OpAccess.ReadCondWrite;
  const now = reads && writes ? 'readWrite' : writes ? 'write' : 'read';
  return before && before !== now ? 'readWrite' : now;
}

export type IcedInstruction = ReturnType<Decoder['decode']>;

const PLAIN_STORES = new Set<Mnemonic>([Mnemonic.Mov, Mnemonic.Movnti]);

/** A `mov` to memory from a general register or an immediate: exactly the bytes it wrote. */
function storedBytes(instruction: IcedInstruction, regs: SampledRegisters, address: bigint, size: number): { address: bigint; bytes: Buffer } | undefined {
  if (!PLAIN_STORES.has(instruction.mnemonic) || instruction.opCount !== 2 || instruction.opKind(0) !== OpKind.Memory) {
    return undefined;
  }
  const source = instruction.opKind(1);
  if (source === OpKind.Register) {
    const bytes = registerBytes(instruction.opRegister(1), regs);
    return bytes && bytes.length === size ? { address, bytes: Buffer.from(bytes) } : undefined;
  }
  if (source === OpKind.Immediate8 || source === OpKind.Immediate16 || source === OpKind.Immediate32 || source === OpKind.Immediate32to64) {
    const bytes = Buffer.alloc(8);
    bytes.writeBigUInt64LE(BigInt.asUintN(64, instruction.immediate(1)));
    return { address, bytes: bytes.subarray(0, size) };
  }
  return undefined;
}

/** Moves whose memory destination receives a vector register's low bytes unchanged. */
const VECTOR_MOVES = new Set<Mnemonic>([
  Mnemonic.Movss,
  Mnemonic.Movsd,
  Mnemonic.Movd,
  Mnemonic.Movq,
  Mnemonic.Movaps,
  Mnemonic.Movups,
  Mnemonic.Movapd,
  Mnemonic.Movupd,
  Mnemonic.Movdqa,
  Mnemonic.Movdqu,
  Mnemonic.Vmovss,
  Mnemonic.Vmovsd,
  Mnemonic.Vmovd,
  Mnemonic.Vmovq,
  Mnemonic.Vmovaps,
  Mnemonic.Vmovups,
  Mnemonic.Vmovapd,
  Mnemonic.Vmovupd,
  Mnemonic.Vmovdqa,
  Mnemonic.Vmovdqu,
]);

function vectorSource(instruction: IcedInstruction, address: bigint, size: number): DecodedAccess['vectorSource'] {
  if (!VECTOR_MOVES.has(instruction.mnemonic) || instruction.opCount !== 2 || instruction.opKind(0) !== OpKind.Memory || instruction.opKind(1) !== OpKind.Register) {
    return undefined;
  }
  const name = Register[instruction.opRegister(1)];
  return /^[XY]MM\d+$/.test(name) ? { register: name.toLowerCase(), address, size } : undefined;
}

function updateOf(instruction: IcedInstruction, regs: SampledRegisters, address: bigint, size: number): DecodedAccess['update'] {
  const op = UPDATES.get(instruction.mnemonic);
  if (!op || instruction.opKind(0) !== OpKind.Memory || size > 8) {
    return undefined;
  }
  if (instruction.opCount === 1) {
    return ['inc', 'dec', 'neg', 'not'].includes(op) ? { op, operand: 0n, address, size } : undefined;
  }
  const source = instruction.opKind(1);
  if (source === OpKind.Register) {
    const bytes = registerBytes(instruction.opRegister(1), regs);
    return bytes ? { op, operand: registerValue(instruction.opRegister(1), regs), address, size } : undefined;
  }
  if (source === OpKind.Immediate8 || source === OpKind.Immediate16 || source === OpKind.Immediate32 || source === OpKind.Immediate8to16 || source === OpKind.Immediate8to32 || source === OpKind.Immediate8to64 || source === OpKind.Immediate32to64) {
    return { op, operand: BigInt.asUintN(64, instruction.immediate(1)), address, size };
  }
  return undefined;
}
