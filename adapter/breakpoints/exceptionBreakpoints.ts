/**
 * C++ exception breakpoints: "on throw" and "on catch" filters, each optionally limited to exception types, made
 * of gdb's catchpoints (libstdc++'s probes). At a stop the exception's type comes from the probe's type_info
 * argument (no debug information needed), and its message is read from memory where the type's layout is
 * known; nothing is ever called in the program.
 */
import { DebugProtocol } from '@vscode/debugprotocol';
import * as gdbBreak from '../gdb/commands/break';
import * as data from '../gdb/commands/data';
import { MiSender } from '../gdb/connection';
import { errorText } from '../errors';

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
];

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
  when: 'throw' | 'catch';
}

export class ExceptionBreakpoints {
  /** gdb catchpoint number → which filter made it. */
  private catchpoints = new Map<number, 'throw' | 'catch'>();
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
      const when = filterId === 'cpp_throw' ? 'throw' : filterId === 'cpp_catch' ? 'catch' : undefined;
      if (!when) {
        answers.push({ verified: false, message: `unknown exception filter ${JSON.stringify(filterId)}: pwatch has cpp_throw and cpp_catch` });
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

  isCatchpoint(number: number | undefined): boolean {
    return number !== undefined && this.catchpoints.has(number);
  }

  /** At an exception catchpoint's stop: the exception's type and, when readable, its message. */
  async describe(number: number, threadId: number): Promise<ExceptionStop> {
    const when = this.catchpoints.get(number) ?? 'throw';
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
      throw new Error(`thread ${threadId} is not stopped at a C++ exception`);
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
