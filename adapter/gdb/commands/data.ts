/** Expressions, memory and registers: -data-*. */
import { MiSender } from '../mi/types';
import { miInt, miList, miString, miTupleList } from '../mi/access';
import { MiTuple } from '../mi/types';
import { flag, miCommand } from '../mi/quote';
import { FrameRef, inFrame } from './context';

export async function evaluate(gdb: MiSender, expression: string, frame?: FrameRef): Promise<string> {
  const scope = frame ? inFrame(frame) : [];
  const results = await gdb.send(miCommand('-data-evaluate-expression', ...scope, expression));
  return miString(results, 'value') ?? '';
}

export interface MemoryBlock {
  begin: bigint;
  /** Hex bytes as gdb prints them. */
  contents: string;
}

/** Writes `bytes` at `address` (all or nothing: gdb fails if any byte cannot be written). */
export async function writeMemory(gdb: MiSender, address: bigint, bytes: Buffer): Promise<void> {
  await gdb.send(miCommand('-data-write-memory-bytes', `0x${address.toString(16)}`, bytes.toString('hex')));
}

/** Reads `count` bytes at `address + offset`; gdb returns only the readable blocks. */
export async function readMemory(gdb: MiSender, address: string, offset: number, count: number): Promise<MemoryBlock[]> {
  const results = await gdb.send(miCommand('-data-read-memory-bytes', flag('-o'), offset, address, count));
  return miTupleList(results, 'memory').map((block) => ({
    begin: BigInt(miString(block, 'begin') ?? '0'),
    contents: miString(block, 'contents') ?? '',
  }));
}

export async function registerNames(gdb: MiSender): Promise<string[]> {
  const results = await gdb.send(miCommand('-data-list-register-names'));
  return miList(results, 'register-names').map((n) => (typeof n === 'string' ? n : ''));
}

export interface RegisterValue {
  number: number;
  value: string;
}

/** Register values in gdb's natural format, or `x` (hex) for the register numbers given (every register without). */
export async function registerValues(gdb: MiSender, frame: FrameRef, format: 'N' | 'x' = 'N', numbers: readonly number[] = []): Promise<RegisterValue[]> {
  const results = await gdb.send(miCommand('-data-list-register-values', ...inFrame(frame), flag('--skip-unavailable'), format, ...numbers));
  return miTupleList(results, 'register-values').map((r) => ({
    number: miInt(r, 'number') ?? -1,
    value: miString(r, 'value') ?? '',
  }));
}

/** Where an instruction is: function, source file and line when gdb knows them. */
export interface CodePlace {
  function?: string;
  file?: string;
  fullname?: string;
  line?: number;
  /** Where the function holding the address starts (an instruction boundary), from gdb's function + offset. */
  functionStart?: bigint;
}

/**
 * Symbolises one code address from the executable's symbols (-data-disassemble in source mode). gdb
 * answers this while the program runs, in all-stop as in non-stop mode, so it never stops anything.
 */
export async function codePlace(gdb: MiSender, address: bigint): Promise<CodePlace> {
  const start = `0x${address.toString(16)}`;
  const end = `0x${(address + 1n).toString(16)}`;
  const results = await gdb.send(miCommand('-data-disassemble', flag('-s'), start, flag('-e'), end, flag('--'), 4));
  const first = miList(results, 'asm_insns')[0];
  if (first === undefined || typeof first !== 'object' || Array.isArray(first)) {
    return {};
  }
  // With line information the entry is a source line holding its instructions; without, an instruction.
  const instruction = miTupleList(first, 'line_asm_insn')[0] ?? first;
  const offset = miInt(instruction, 'offset');
  return {
    functionStart: offset === undefined ? undefined : address - BigInt(offset),
    function: miString(instruction, 'func-name'),
    file: miString(first, 'file'),
    fullname: miString(first, 'fullname'),
    line: miInt(first, 'line'),
  };
}

/** One disassembled instruction, with its source line when gdb has line information for it. */
export interface GdbInstruction {
  address: bigint;
  /** The instruction's bytes as gdb prints them: hex pairs separated by spaces. */
  opcodes: string;
  text: string;
  func?: string;
  offset?: number;
  fullname?: string;
  line?: number;
}

function parseInstruction(t: MiTuple, line?: MiTuple): GdbInstruction {
  return {
    address: BigInt(miString(t, 'address') ?? '0'),
    opcodes: miString(t, 'opcodes') ?? '',
    text: miString(t, 'inst') ?? '',
    func: miString(t, 'func-name'),
    offset: miInt(t, 'offset'),
    fullname: line ? miString(line, 'fullname') : undefined,
    line: line ? miInt(line, 'line') : undefined,
  };
}

/** The instructions that start in [start, end), in address order (source mode with raw bytes). */
export async function disassemble(gdb: MiSender, start: bigint, end: bigint): Promise<GdbInstruction[]> {
  const results = await gdb.send(miCommand('-data-disassemble', flag('-s'), `0x${start.toString(16)}`, flag('-e'), `0x${end.toString(16)}`, flag('--'), 5));
  const out: GdbInstruction[] = [];
  for (const entry of miTupleList(results, 'asm_insns')) {
    // With line information an entry is a source line holding its instructions; without, an instruction.
    const inLine = miTupleList(entry, 'line_asm_insn');
    if (entry['line_asm_insn'] !== undefined) {
      out.push(...inLine.map((i) => parseInstruction(i, entry)));
    } else {
      out.push(parseInstruction(entry));
    }
  }
  return out.sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0));
}
