/**
 * Source and function breakpoints, kept in gdb. DAP sends the whole set for a file (or all function
 * breakpoints) each time; the table replaces gdb's breakpoints for that set and remembers, per gdb
 * breakpoint, the hit condition and log message that gdb itself cannot apply.
 */
import { DebugProtocol } from '@vscode/debugprotocol';
import * as gdbBreak from '../gdb/commands/break';
import { MiSender } from '../gdb/connection';
import { HitTest, parseHitCondition } from './hitCondition';
import { LogPart, parseLogMessage } from './logMessage';

export type BreakpointKind = 'source' | 'function' | 'instruction';

interface Entry {
  kind: BreakpointKind;
  hits: number;
  hitTest?: HitTest;
  log?: LogPart[];
}

/** What to do when gdb reports a hit of one of our breakpoints. */
export type HitDecision = { action: 'stop'; kind: BreakpointKind } | { action: 'log'; parts: LogPart[] } | { action: 'resume' };

interface Inserted {
  number?: number;
  breakpoint: DebugProtocol.Breakpoint;
}

interface Requested {
  condition?: string;
  hitCondition?: string;
  logMessage?: string;
}

export class BreakpointTable {
  private readonly entries = new Map<number, Entry>();
  private readonly bySource = new Map<string, number[]>();
  private functionNumbers: number[] = [];
  private instructionNumbers: number[] = [];

  /** What `main` names (a Rust crate's main, see rust/crateMain.ts); gdb's own `main` when undefined. */
  mainFunction: string | undefined;
  /**
   * @param expressions conditions and logpoint expressions as gdb is to get them (rust/indexing.ts for a Rust
   * program); may throw, and the breakpoint is then refused with its message.
   */
  constructor(
    private readonly gdb: MiSender,
    private readonly expressions: (expression: string) => string = (expression) => expression,
  ) {}

  async setSourceBreakpoints(file: string, requested: DebugProtocol.SourceBreakpoint[]): Promise<DebugProtocol.Breakpoint[]> {
    await this.forget(this.bySource.get(file) ?? []);
    const result = await Promise.all(
      requested.map((bp) => this.insert('source', bp, (condition) => gdbBreak.insertAtLine(this.gdb, file, bp.line, { condition }))),
    );
    this.bySource.set(file, numbersOf(result));
    return result.map((r) => r.breakpoint);
  }

  async setFunctionBreakpoints(requested: DebugProtocol.FunctionBreakpoint[]): Promise<DebugProtocol.Breakpoint[]> {
    await this.forget(this.functionNumbers);
    const result = await Promise.all(
      requested.map((bp) => {
        const name = bp.name.trim() === 'main' && this.mainFunction ? this.mainFunction : bp.name;
        return this.insert('function', bp, (condition) => gdbBreak.insertAtFunction(this.gdb, name, { condition }));
      }),
    );
    this.functionNumbers = numbersOf(result);
    return result.map((r) => r.breakpoint);
  }

  /** Instruction breakpoints (the Disassembly view's): an address and an offset in bytes, with conditions. */
  async setInstructionBreakpoints(requested: DebugProtocol.InstructionBreakpoint[]): Promise<DebugProtocol.Breakpoint[]> {
    await this.forget(this.instructionNumbers);
    const result = await Promise.all(
      requested.map((bp): Promise<Inserted> | Inserted => {
        const address = instructionAddress(bp);
        if (typeof address === 'string') {
          return { breakpoint: { verified: false, message: address, reason: 'failed' } as DebugProtocol.Breakpoint };
        }
        return this.insert('instruction', bp, (condition) => gdbBreak.insertAtInstruction(this.gdb, address, { condition }));
      }),
    );
    this.instructionNumbers = numbersOf(result);
    return result.map((r, i) => (r.number === undefined ? r.breakpoint : { ...r.breakpoint, instructionReference: requested[i].instructionReference, offset: requested[i].offset }));
  }

  /** Counts the hit and decides: stop, log and resume, or resume silently (hit condition not met). */
  onHit(number: number): HitDecision | undefined {
    const entry = this.entries.get(number);
    if (!entry) {
      return undefined;
    }
    entry.hits++;
    if (entry.hitTest && !entry.hitTest(entry.hits)) {
      return { action: 'resume' };
    }
    if (entry.log) {
      return { action: 'log', parts: entry.log };
    }
    return { action: 'stop', kind: entry.kind };
  }

  private async insert(
    kind: BreakpointKind,
    bp: Requested,
    insert: (condition: string | undefined) => Promise<gdbBreak.GdbBreakpoint>,
  ): Promise<Inserted> {
    let hitTest: HitTest | undefined;
    if (bp.hitCondition) {
      const parsed = parseHitCondition(bp.hitCondition);
      if (parsed instanceof Error) {
        return { breakpoint: { verified: false, message: parsed.message, reason: 'failed' } as DebugProtocol.Breakpoint };
      }
      hitTest = parsed;
    }
    try {
      // Translated before gdb sees them (a Rust program's subscripts); a condition gdb cannot parse would be
      // reported only at each hit, and some (Rust array literals) end gdb.
      const log = bp.logMessage ? parseLogMessage(bp.logMessage).map((p) => ('expression' in p ? { expression: this.expressions(p.expression) } : p)) : undefined;
      const inserted = await insert(bp.condition ? this.expressions(bp.condition) : undefined);
      this.entries.set(inserted.number, { kind, hits: 0, hitTest, log });
      const breakpoint: DebugProtocol.Breakpoint = {
        id: inserted.number,
        verified: inserted.resolved,
        line: inserted.line,
        source: inserted.file ? { path: inserted.file } : undefined,
      };
      if (!inserted.resolved) {
        breakpoint.message =
          kind === 'function'
            ? "pending: no function of that name is loaded (yet); gdb names generic functions with their type arguments (Rust's double::<u32> is double<u32>)"
            : 'pending: no code is loaded at this location yet';
        (breakpoint as { reason?: string }).reason = 'pending';
      }
      return { number: inserted.number, breakpoint };
    } catch (e) {
      return { breakpoint: { verified: false, message: (e as Error).message, reason: 'failed' } as DebugProtocol.Breakpoint };
    }
  }

  private async forget(numbers: number[]): Promise<void> {
    numbers.forEach((n) => this.entries.delete(n));
    await gdbBreak.remove(this.gdb, numbers);
  }
}

/** The address of an instruction breakpoint, or why it has none. */
function instructionAddress(bp: DebugProtocol.InstructionBreakpoint): bigint | string {
  const reference = typeof bp.instructionReference === 'string' ? bp.instructionReference.trim() : '';
  if (!/^(0x[0-9a-f]{1,16}|\d{1,20})$/i.test(reference)) {
    return `instruction reference ${JSON.stringify(bp.instructionReference)} is not an address`;
  }
  const address = BigInt(reference) + BigInt(Number.isSafeInteger(bp.offset) ? (bp.offset as number) : 0);
  return address > 0n && address < 1n << 64n ? address : `0x${address.toString(16)} is not a code address`;
}

function numbersOf(result: Array<{ number?: number }>): number[] {
  return result.map((r) => r.number).filter((n): n is number => n !== undefined);
}
