/**
 * Rust panics as exception stops. Every panic that unwinds (caught by a thread's join or not) passes through
 * std's `rust_panic`, after the panic hook has printed its message; a breakpoint there stops the panicking thread.
 * The standard library carries line tables but no variables, so the message cannot be read from the panic's
 * frames: the stop names where the user's code panicked, the first frame outside the toolchain's sources.
 */
import * as path from 'path';
import { GdbFrame } from '../gdb/commands/stack';

/** std's function every unwinding panic calls (CodeLLDB and rust-gdb users break on it too). */
export const PANIC_FUNCTION = 'rust_panic';

/** How many frames are looked through for the user's: std's panic machinery is about eight deep. */
export const PANIC_FRAME_SEARCH = 32;

/** Frames of the Rust toolchain's own crates (std, core, alloc) or of the panic runtime. */
export function isToolchainFrame(frame: GdbFrame): boolean {
  const file = frame.fullname ?? frame.file ?? '';
  if (file === '' || file.startsWith('/rustc/') || /^library\//.test(file) || /\/lib\/rustlib\/src\//.test(file)) {
    return true;
  }
  const func = frame.func ?? '';
  return /^(std|core|alloc|__rustc|__rust_|panic_unwind)::/.test(func) || func === PANIC_FUNCTION;
}

export interface PanicPlace {
  function?: string;
  file?: string;
  line?: number;
}

/** Where the user's code panicked: the first frame of the stack that is not the toolchain's. */
export function panicPlace(frames: readonly GdbFrame[]): PanicPlace | undefined {
  const frame = frames.find((f) => !isToolchainFrame(f));
  return frame ? { function: frame.func, file: frame.fullname ?? frame.file, line: frame.line } : undefined;
}

/** "panicked in ledger::check at ledger.rs:3". */
export function describePanic(place: PanicPlace | undefined): string {
  if (!place) {
    return 'panicked (no frame of the program itself is on the stack)';
  }
  const where = place.file ? ` at ${path.basename(place.file)}${place.line ? `:${place.line}` : ''}` : '';
  return `panicked in ${place.function ?? '??'}${where}`;
}
