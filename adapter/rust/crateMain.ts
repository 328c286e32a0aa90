/**
 * What `main` means in a Rust program: the crate's `main`, not the C runtime's `main` that rustc generates (gdb
 * resolves `main` to that one, which has no source: a stop "at line 0"). The generated `main` passes the crate's
 * main to std's lang_start; its first instructions name it, which no guess by name can (a workspace may hold
 * several `main` functions, a library among them).
 */
import * as data from '../gdb/commands/data';
import { functionsNamed } from '../gdb/commands/file';
import { MiSender } from '../gdb/connection';

/** The generated `main` is a handful of instructions before its call to lang_start. */
const GENERATED_MAIN_BYTES = 64n;

/**
 * A legacy-mangled Rust symbol's path without its hash: `_ZN8accounts4main17h0123456789abcdefE` →
 * `accounts::main`. undefined for anything else (v0 mangling `_R…`, C names).
 */
export function demangleRustLegacy(symbol: string): string | undefined {
  const match = /^_ZN(.*)E$/.exec(symbol);
  if (!match) {
    return undefined;
  }
  const parts: string[] = [];
  let rest = match[1];
  while (rest !== '') {
    const length = /^(\d+)/.exec(rest);
    if (!length) {
      return undefined;
    }
    const start = length[1].length;
    parts.push(rest.slice(start, start + Number(length[1])));
    rest = rest.slice(start + Number(length[1]));
  }
  if (parts.length > 1 && /^h[0-9a-f]{16}$/.test(parts[parts.length - 1])) {
    parts.pop();
  }
  return parts.length > 0 && parts.every((p) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(p)) ? parts.join('::') : undefined;
}

/** The symbols an instruction names, as gdb prints them after it: `# 0x2b3c0 <_ZN8accounts4main17h…E>`. */
export function namedSymbols(instructions: readonly string[]): string[] {
  return instructions.flatMap((text) => [...text.matchAll(/<([^<>+]+)(?:\+\d+)?>/g)].map((m) => m[1]));
}

/**
 * A v0-mangled crate-root function's path: `_RNvCs1234_8accounts4main` → `accounts::main`. Only that shape (a
 * function directly in a crate) is read: it is the crate main's.
 */
export function demangleRustV0CrateFunction(symbol: string): string | undefined {
  const match = /^_RNvC(?:s[0-9A-Za-z]*_)?(\d+)(.+)$/.exec(symbol);
  if (!match) {
    return undefined;
  }
  const crate = match[2].slice(0, Number(match[1]));
  const rest = /^(\d+)(.+)$/.exec(match[2].slice(Number(match[1])));
  if (!rest || rest[2].length !== Number(rest[1])) {
    return undefined;
  }
  return `${crate}::${rest[2]}`;
}

function demangled(symbol: string): string {
  return demangleRustLegacy(symbol) ?? demangleRustV0CrateFunction(symbol) ?? symbol;
}

/**
 * The crate main's symbol among those the generated main names: the function it hands to std (through
 * lang_start, or straight to lang_start_internal once optimisation inlined lang_start), a crate's `main`.
 */
export function crateMainSymbol(symbols: readonly string[]): string | undefined {
  return symbols.find((s) => /^[A-Za-z_][A-Za-z0-9_]*::main$/.test(demangled(s)));
}

/**
 * The name a breakpoint on the crate's main takes: its linkage name, which gdb resolves with or without debug
 * information (a program built with line tables only). undefined when the program's `main` is not rustc's (a C
 * program linking a Rust library: its own main is the one) or cannot be read.
 */
export async function crateMain(gdb: MiSender): Promise<string | undefined> {
  const mains = await functionsNamed(gdb, '^main$', true).catch(() => []);
  const generated = mains.find((m) => m.address !== undefined && m.name === 'main');
  if (!generated || mains.some((m) => m.address === undefined)) {
    return undefined; // a main with source: the program's own
  }
  const instructions = await data.disassemble(gdb, generated.address!, generated.address! + GENERATED_MAIN_BYTES).catch(() => []);
  // The linkage name: unique where the path is not (a package's lib and bin may both define `<crate>::main`).
  return crateMainSymbol(namedSymbols(instructions.map((i) => i.text)));
}
