/**
 * The instructions a whole-program race hunt samples, and what one of them is about to access. DataCollider's idea:
 * a code breakpoint on a sampled instruction stops its thread *before* the access; the registers then say which
 * bytes it will touch, and those bytes are watched in every other thread while it stands still.
 */
import { Decoder, DecoderOptions, Instruction, InstructionInfoFactory, MemorySizeExt, Mnemonic, Register } from 'iced-x86';
import { accessKind, DecodedAccess, isAtomic, registerValue, SampledRegisters } from '../watch/storeDecoder';

/** One memory access an instruction is about to make, worked out from the registers before it runs. */
export interface PlannedAccess {
  address: bigint;
  size: number;
  kind: DecodedAccess['kind'];
  atomic: boolean;
  /** The instruction's length (the next one starts there). */
  length: number;
}

/**
 * The data access of the instruction at `ip` (its bytes first in `bytes`), from the registers it will run with: the one
 * explicit memory operand that is not the stack (a push's or a call's); undefined when there is none or several.
 */
export function plannedAccess(bytes: Buffer, ip: bigint, regs: SampledRegisters): PlannedAccess | undefined {
  const decoder = new Decoder(64, new Uint8Array(bytes), DecoderOptions.None);
  decoder.ip = ip;
  const instruction = decoder.decode();
  const factory = new InstructionInfoFactory();
  try {
    if (instruction.isInvalid) {
      return undefined;
    }
    const info = factory.info(instruction);
    const used = info.usedMemory();
    const found: PlannedAccess[] = [];
    for (const memory of used) {
      if (memory.base !== Register.RSP && memory.segment !== Register.FS && memory.segment !== Register.GS) {
        const base = memory.base === Register.RIP ? instruction.nextIP : memory.base === Register.None ? 0n : registerValue(memory.base, regs);
        const index = memory.index === Register.None ? 0n : registerValue(memory.index, regs) * BigInt(memory.scale);
        const size = Math.max(1, MemorySizeExt.size(memory.memorySize));
        found.push({ address: BigInt.asUintN(64, base + index + memory.displacement), size, kind: accessKind(memory.access, undefined), atomic: isAtomic(instruction), length: instruction.length });
      }
      memory.free();
    }
    info.free();
    return found.length === 1 ? found[0] : undefined;
  } finally {
    factory.free();
    instruction.free();
    decoder.free();
  }
}

/**
 * The instructions of `code` (loaded at `start`) worth sampling in a whole-program race hunt: those that read or write
 * memory other than their own thread's stack (not through %rsp, not below %rbp, not thread-local through %fs/%gs) and
 * are not a lea or a prefetch (no access). Decoded linearly: compilers put no data in x86-64 .text.
 */
export function memoryInstructions(code: Buffer, start: bigint): bigint[] {
  const decoder = new Decoder(64, new Uint8Array(code), DecoderOptions.None);
  decoder.ip = start;
  const instruction = new Instruction();
  const factory = new InstructionInfoFactory();
  const found: bigint[] = [];
  try {
    while (decoder.canDecode) {
      decoder.decodeOut(instruction);
      if (instruction.isInvalid || instruction.mnemonic === Mnemonic.Lea || instruction.mnemonic === Mnemonic.Nop || Mnemonic[instruction.mnemonic].startsWith('Prefetch')) {
        continue;
      }
      const info = factory.info(instruction);
      const used = info.usedMemory();
      const shared = used.length > 0 && used.every((m) => m.base !== Register.RSP && !(m.base === Register.RBP && (m.displacement < 0n || m.displacement >= 1n << 63n)) && m.segment !== Register.FS && m.segment !== Register.GS);
      // A zero byte run (padding) decodes as `add %al, (%rax)`: never executed, harmless to sample, but skipped.
      const padding = instruction.length === 2 && code[Number(instruction.ip - start)] === 0 && code[Number(instruction.ip - start) + 1] === 0;
      for (const m of used) {
        m.free();
      }
      info.free();
      if (shared && !padding) {
        found.push(instruction.ip);
      }
    }
    return found;
  } finally {
    factory.free();
    instruction.free();
    decoder.free();
  }
}
