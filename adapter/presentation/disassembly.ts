/**
 * The disassemble request, as VS Code's Disassembly view asks it: exactly `instructionCount` instructions
 * around an address, `instructionOffset` of them before it (x86 has variable-length instructions, so going
 * backwards means decoding from an earlier address until the decoding lands on the reference), with source
 * lines, and unreadable places padded as invalid instructions rather than failing the request.
 */
import { DebugProtocol } from '@vscode/debugprotocol';
import * as path from 'path';
import * as data from '../gdb/commands/data';
import { MiSender } from '../gdb/connection';
import { UserError } from '../launch/userError';

/** x86 instructions are at most 15 bytes long. */
const MAX_INSTRUCTION_BYTES = 15n;
const MAX_COUNT = 10000;

function lengthOf(i: data.GdbInstruction): bigint {
  return BigInt(i.opcodes.split(/\s+/).filter(Boolean).length || 1);
}

async function decode(gdb: MiSender, start: bigint, end: bigint): Promise<data.GdbInstruction[]> {
  return start < end ? data.disassemble(gdb, start, end).catch(() => []) : [];
}

/** Up to `count` instructions that end exactly at `at`, found by decoding from earlier starts until one lines up. */
async function before(gdb: MiSender, at: bigint, count: number): Promise<data.GdbInstruction[]> {
  const span = BigInt(count) * MAX_INSTRUCTION_BYTES + 32n;
  for (let shift = 0n; shift < MAX_INSTRUCTION_BYTES; shift++) {
    const start = at > span + shift ? at - span - shift : 0n;
    const found = (await decode(gdb, start, at)).filter((i) => i.address < at);
    const last = found[found.length - 1];
    if (last && last.address + lengthOf(last) === at) {
      return found.slice(-count);
    }
  }
  return [];
}

function invalid(address: bigint): DebugProtocol.DisassembledInstruction {
  return { address: `0x${address.toString(16)}`, instruction: '??', presentationHint: 'invalid' };
}

function present(i: data.GdbInstruction): DebugProtocol.DisassembledInstruction {
  const shown: DebugProtocol.DisassembledInstruction = {
    address: `0x${i.address.toString(16)}`,
    instructionBytes: i.opcodes,
    instruction: i.text,
    symbol: i.func === undefined ? undefined : i.offset ? `${i.func}+${i.offset}` : i.func,
  };
  if (i.fullname && i.line) {
    shown.location = { name: path.basename(i.fullname), path: i.fullname };
    shown.line = i.line;
  }
  return shown;
}

export async function disassemble(gdb: MiSender, args: DebugProtocol.DisassembleArguments): Promise<DebugProtocol.DisassembleResponse['body']> {
  if (typeof args.memoryReference !== 'string' || !/^(0x[0-9a-fA-F]{1,16}|\d{1,20})$/.test(args.memoryReference)) {
    throw new UserError(`memory reference ${JSON.stringify(args.memoryReference)} is not an address`);
  }
  const count = Number.isSafeInteger(args.instructionCount) ? Math.max(0, Math.min(args.instructionCount, MAX_COUNT)) : 0;
  const skip = Number.isSafeInteger(args.instructionOffset) ? (args.instructionOffset as number) : 0;
  const base = BigInt(args.memoryReference) + BigInt(Number.isSafeInteger(args.offset) ? (args.offset as number) : 0);
  if (count === 0 || base < 0n) {
    return { instructions: [] };
  }
  const out: DebugProtocol.DisassembledInstruction[] = [];
  // The instructions before the reference (a negative offset), padded at the front when memory runs out.
  if (skip < 0) {
    const earlier = await before(gdb, base, Math.min(-skip, count));
    const missing = Math.min(-skip, count) - earlier.length;
    const firstKnown = earlier[0]?.address ?? base;
    for (let k = missing; k > 0; k--) {
      out.push(invalid(firstKnown - BigInt(k)));
    }
    out.push(...earlier.map(present));
  }
  // Then forward from the reference (skipping `skip` instructions first when it is positive).
  const wanted = count - out.length + Math.max(0, skip);
  let at = base;
  const forward: DebugProtocol.DisassembledInstruction[] = [];
  while (forward.length < wanted) {
    const chunk = (await decode(gdb, at, at + BigInt(wanted - forward.length) * MAX_INSTRUCTION_BYTES)).filter((i) => i.address >= at);
    if (chunk.length === 0) {
      // Unreadable from here on (one gdb call per byte would be slow): the rest is padding.
      while (forward.length < wanted) {
        forward.push(invalid(at));
        at += 1n;
      }
      break;
    }
    for (const i of chunk) {
      if (forward.length < wanted) {
        forward.push(present(i));
      }
    }
    const last = chunk[chunk.length - 1];
    at = last.address + lengthOf(last);
  }
  out.push(...forward.slice(Math.max(0, skip)));
  return { instructions: out.slice(0, count) };
}
