/**
 * Exception breakpoints. C++: "on throw" and "on catch" filters, each optionally limited to exception types, made
 * of gdb's catchpoints (libstdc++'s probes); at a stop the exception's type comes from the probe's type_info
 * argument (no debug information needed), and its message is read from memory where the type's layout is
 * known; nothing is ever called in the program. Rust: "on panic", a breakpoint on std's rust_panic (rustPanic.ts).
 */
import { DebugProtocol } from '@vscode/debugprotocol';
import * as gdbBreak from '../gdb/commands/break';
import * as data from '../gdb/commands/data';
import { MiSender } from '../gdb/connection';
import * as stack from '../gdb/commands/stack';
import { errorText } from '../util/errors';
import { describePanic, PANIC_FRAME_SEARCH, PANIC_FUNCTION, panicPlace } from './rustPanic';

export const EXCEPTION_FILTERS: DebugProtocol.ExceptionBreakpointsFilter[] = [
  {
    filter: 'cpp_throw',
    label: 'C++: on throw',
    description: 'Stop where a C++ exception is thrown',
    supportsCondition: true,
    conditionDescription: 'Exception types, comma-separated (e.g. std::runtime_error, MyError); empty for all',
  },
  {
    filter: 'cpp_catch',
    label: 'C++: on catch',
    description: 'Stop where a C++ exception is caught',
    supportsCondition: true,
    conditionDescription: 'Exception types, comma-separated (e.g. std::out_of_range); empty for all',
  },
  {
    filter: 'rust_panic',
    label: 'Rust: on panic',
    description: 'Stop where a Rust thread panics (caught by a join or not)',
  },
];

type ExceptionKind = 'throw' | 'catch' | 'panic';
const FILTER_KINDS: Record<string, ExceptionKind> = { cpp_throw: 'throw', cpp_catch: 'catch', rust_panic: 'panic' };

/**
 * libstdc++'s exceptions that keep their message as the first member after the vtable pointer (a
 * reference-counted string whose pointer is the text): std::logic_error, std::runtime_error and their standard
 * subclasses. Other types are named without a message.
 */
const MESSAGE_AFTER_VTABLE: ReadonlySet<string> = new Set([
  'std::logic_error', 'std::domain_error', 'std::invalid_argument', 'std::length_error', 'std::out_of_range', 'std::future_error',
  'std::runtime_error', 'std::range_error', 'std::overflow_error', 'std::underflow_error', 'std::system_error', 'std::ios_base::failure',
]);

/** Messages longer than this are cut: the Debug Console shows the start, the program holds the rest. */
const MESSAGE_LIMIT = 4096;

/**
 * gdb's regex for a list of type names, each matched exactly. gdb compiles it as a POSIX basic regex (GNU
 * flavour): only `.[]\*^$` are special as written, and grouping and alternation are `\(`, `\|`, `\)`.
 */
export function typeRegex(condition: string | undefined): string | undefined {
  const types = (condition ?? '').split(',').map((t) => t.trim()).filter((t) => t !== '');
  if (types.length === 0) {
    return undefined;
  }
  const escaped = types.map((t) => t.replace(/[.[\]\\*^$]/g, '\\$&'));
  return `^\\(${escaped.join('\\|')}\\)$`;
}

/**
 * The type named by gdb's print of a type_info pointer: `0x7ffff7e8f0b8 <typeinfo for Box<std::string>>`. The
 * name itself may hold '>' (templates), and the symbol may carry its version (`@GLIBCXX_3.4`).
 */
export function typeNameOf(printed: string): string | undefined {
  const name = /<typeinfo for (.+)>\s*$/.exec(printed)?.[1];
  return name?.replace(/@@?[\w.]+$/, '');
}

export interface ExceptionStop {
  typeName: string;
  message?: string;
  when: ExceptionKind;
}

export class ExceptionBreakpoints {
  /** gdb catchpoint (or, for panics, breakpoint) number → which filter made it. */
  private catchpoints = new Map<number, ExceptionKind>();
  /** What the last exception stop of each thread was, for exceptionInfo. */
  private readonly lastStops = new Map<number, ExceptionStop>();

  constructor(private readonly gdb: MiSender) {}

  /** Replaces the set: one catchpoint per enabled filter. */
  async set(args: DebugProtocol.SetExceptionBreakpointsArguments): Promise<DebugProtocol.Breakpoint[]> {
    await gdbBreak.remove(this.gdb, [...this.catchpoints.keys()]).catch(() => undefined);
    this.catchpoints.clear();
    const wanted = [
      ...(Array.isArray(args.filters) ? args.filters.map((filterId) => ({ filterId, condition: undefined as string | undefined })) : []),
      ...(Array.isArray(args.filterOptions) ? args.filterOptions : []),
    ];
    const answers: DebugProtocol.Breakpoint[] = [];
    for (const { filterId, condition } of wanted) {
      const when: ExceptionKind | undefined = FILTER_KINDS[filterId];
      if (!when) {
        answers.push({ verified: false, message: `unknown exception filter ${JSON.stringify(filterId)}: pwatch has ${Object.keys(FILTER_KINDS).join(', ')}` });
        continue;
      }
      if (when === 'panic') {
        answers.push(await this.breakOnPanic());
        continue;
      }
      try {
        const number = await gdbBreak.catchException(this.gdb, when, typeRegex(condition));
        this.catchpoints.set(number, when);
        answers.push({ id: number, verified: true });
      } catch (e) {
        answers.push({ verified: false, message: `gdb could not catch C++ exceptions (${errorText(e)})` });
      }
    }
    return answers;
  }

  /** Pending until a Rust standard library is loaded: a C program has none, and says so. */
  private async breakOnPanic(): Promise<DebugProtocol.Breakpoint> {
    try {
      const bp = await gdbBreak.insertAtFunction(this.gdb, PANIC_FUNCTION);
      this.catchpoints.set(bp.number, 'panic');
      return bp.resolved
        ? { id: bp.number, verified: true }
        : { id: bp.number, verified: false, message: 'no Rust standard library is loaded (yet): the filter applies once one is' };
    } catch (e) {
      return { verified: false, message: `gdb could not break on Rust panics (${errorText(e)})` };
    }
  }

  isCatchpoint(number: number | undefined): boolean {
    return number !== undefined && this.catchpoints.has(number);
  }

  /** At an exception catchpoint's stop: the exception's type and, when readable, its message. */
  async describe(number: number, threadId: number): Promise<ExceptionStop> {
    const when = this.catchpoints.get(number) ?? 'throw';
    if (when === 'panic') {
      const frames = await stack.listFrames(this.gdb, threadId, 0, PANIC_FRAME_SEARCH - 1).catch(() => []);
      const stop: ExceptionStop = { typeName: 'panic', message: `${describePanic(panicPlace(frames))} (the panic's message is on the program's stderr)`, when };
      this.lastStops.set(threadId, stop);
      return stop;
    }
    const frame = { threadId, level: 0 };
    // The probe's second argument is the exception's std::type_info; gdb names its symbol ("typeinfo for T").
    const info = await data.evaluate(this.gdb, '(void *) $_probe_arg1', frame).catch(() => '');
    const typeName = typeNameOf(info) ?? 'an exception';
    const message = MESSAGE_AFTER_VTABLE.has(typeName) ? await this.messageOf(frame) : undefined;
    const stop = { typeName, message, when };
    this.lastStops.set(threadId, stop);
    return stop;
  }

  /** The text the exception object's string member points to: read as bytes, up to its NUL. */
  private async messageOf(frame: { threadId: number; level: number }): Promise<string | undefined> {
    try {
      const pointer = await data.evaluate(this.gdb, '(unsigned long) *(void **) ((char *) $_probe_arg0 + sizeof (void *))', frame);
      const blocks = await data.readMemory(this.gdb, `0x${BigInt(pointer).toString(16)}`, 0, MESSAGE_LIMIT);
      const bytes = Buffer.from(blocks[0]?.contents ?? '', 'hex');
      const end = bytes.indexOf(0);
      return bytes.subarray(0, end < 0 ? bytes.length : end).toString('utf8');
    } catch {
      return undefined;
    }
  }

  info(threadId: number): DebugProtocol.ExceptionInfoResponse['body'] {
    const stop = this.lastStops.get(threadId);
    if (!stop) {
      throw new Error(`thread ${threadId} is not stopped at an exception`);
    }
    return {
      exceptionId: stop.typeName,
      description: stop.message,
      breakMode: 'always',
      details: { typeName: stop.typeName, message: stop.message },
    };
  }

  /** The thread ran on: its exception stop is over. */
  forget(threadId?: number): void {
    if (threadId === undefined) {
      this.lastStops.clear();
    } else {
      this.lastStops.delete(threadId);
    }
  }
}
