/**
 * What `main` means in a Rust program: the crate's `main`, not the C runtime's `main` that std's start-up code
 * provides (gdb resolves `main` to that one, which has no source: a stop "at line 0").
 */
import { functionsNamed } from '../gdb/commands/file';
import { MiSender } from '../gdb/connection';
import { isToolchainFrame } from '../breakpoints/rustPanic';

/** A binary crate's main is a top-level function of the crate: `<crate>::main` (a POSIX basic regex, gdb's). */
const CRATE_MAIN = '^[A-Za-z0-9_][A-Za-z0-9_]*::main$';

/** The crate's main as gdb names it ("ledger::main"), or undefined when the program has none with source. */
export async function crateMain(gdb: MiSender): Promise<string | undefined> {
  const found = await functionsNamed(gdb, CRATE_MAIN).catch(() => []);
  const own = found.filter((f) => !isToolchainFrame({ level: 0, addr: '', func: f.name, fullname: f.file }));
  // Several crates of a workspace may each define a `main`; the binary's is in its main.rs when there is one.
  return (own.find((f) => /(^|\/)main\.rs$/.test(f.file)) ?? own[0])?.name;
}
