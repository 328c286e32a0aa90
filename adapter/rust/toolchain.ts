/**
 * Which Rust toolchain built a program, and where that toolchain keeps its gdb pretty printers: found the way
 * rust-gdb finds them (`<sysroot>/lib/rustlib/etc`), but for the toolchain named in the program's `.comment`
 * rather than whichever rustc is first on PATH, since printers follow the standard library's layout, which
 * changes between releases.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { readElfSection } from '../program/elfSections';

/**
 * The rustc version named in a program's `.comment` ("rustc version 1.95.0 (59807616e 2026-04-14)", rustup's) or
 * in its debug information's producer ("clang LLVM (rustc version 1.63.0)", Debian's rustc, whose `.comment`
 * names only GCC), if any.
 */
export function rustcVersionOf(section: Buffer | undefined): string | undefined {
  const text = section?.toString('latin1') ?? '';
  return /rustc version ([^\s)\0]+(?: \([^)\0]*\))?)/.exec(text)?.[1];
}

/** The debug strings hold the producer: a few megabytes for a Rust program (std's names). */
const DEBUG_STR_LIMIT = 256 << 20;

/** The rustc version that built `program`; 'an unknown version' when only its printer request says Rust. */
function builtByRustc(program: string): string | undefined {
  const version = rustcVersionOf(readElfSection(program, '.comment')) ?? rustcVersionOf(readElfSection(program, '.debug_str', DEBUG_STR_LIMIT));
  if (version !== undefined) {
    return version;
  }
  // Compressed debug information hides the producer; rustc's request for its printers still names them.
  const scripts = readElfSection(program, '.debug_gdb_scripts');
  return scripts?.includes('gdb_load_rust_pretty_printers.py') ? UNKNOWN_VERSION : undefined;
}

const UNKNOWN_VERSION = 'an unknown version';

/** "1.95.0 (59807616e 2026-04-14)" → "1.95.0"; the release is what printers depend on. */
export function releaseOf(version: string): string {
  return /^\S+/.exec(version.trim())?.[0] ?? version;
}

/** Printers this many minor releases away are still tried: std's layouts change slowly between releases. */
const NEAR_RELEASES = 6;

function minorOf(version: string): number | undefined {
  const match = /^1\.(\d+)\./.exec(releaseOf(version));
  return match ? Number(match[1]) : undefined;
}

/** The printers of the release nearest the program's, if within NEAR_RELEASES. */
export function nearestRelease<T extends { version: string }>(builtBy: string, found: readonly T[]): T | undefined {
  const wanted = minorOf(builtBy);
  if (wanted === undefined) {
    return undefined;
  }
  const distance = (p: T) => Math.abs((minorOf(p.version) ?? Infinity) - wanted);
  const nearest = [...found].sort((a, b) => distance(a) - distance(b))[0];
  return nearest && distance(nearest) <= NEAR_RELEASES ? nearest : undefined;
}

export interface RustPrinters {
  /** The toolchain's `lib/rustlib/etc`, holding gdb_load_rust_pretty_printers.py. */
  directory: string;
  /** The rustc version of that toolchain ("1.95.0 (…)"). */
  version: string;
}

export interface RustProgram {
  /** The rustc version that built the program. */
  builtBy: string;
  printers?: RustPrinters;
  /** Why the printers are missing or from another release, for the Debug Console. */
  note?: string;
}

const PRINTER_FILES = ['gdb_load_rust_pretty_printers.py', 'gdb_lookup.py', 'gdb_providers.py'];
const RUSTC_TIMEOUT_MS = 5000;

function rustcOutput(rustc: string, args: string[]): string | undefined {
  try {
    // No shell: rustc is run by path or looked up on PATH by execFile.
    return execFileSync(rustc, args, { encoding: 'utf8', timeout: RUSTC_TIMEOUT_MS, stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return undefined;
  }
}

/** Sysroots to look in: the rustc on PATH first, then rustup's toolchains, then the system's (Debian's /usr). */
function candidateSysroots(env: NodeJS.ProcessEnv): string[] {
  const roots: string[] = [];
  const onPath = rustcOutput('rustc', ['--print', 'sysroot']);
  if (onPath) {
    roots.push(onPath);
  }
  const rustupHome = env.RUSTUP_HOME ?? path.join(os.homedir(), '.rustup');
  try {
    for (const name of fs.readdirSync(path.join(rustupHome, 'toolchains')).sort()) {
      roots.push(path.join(rustupHome, 'toolchains', name));
    }
  } catch {
    // no rustup
  }
  roots.push('/usr', '/usr/local');
  return [...new Set(roots.map((r) => path.resolve(r)))];
}

function printersIn(sysroot: string): RustPrinters | undefined {
  const directory = path.join(sysroot, 'lib', 'rustlib', 'etc');
  if (!PRINTER_FILES.every((f) => fs.existsSync(path.join(directory, f)))) {
    return undefined;
  }
  const rustc = path.join(sysroot, 'bin', 'rustc');
  const version = /^rustc (.+)$/.exec(rustcOutput(rustc, ['--version']) ?? '')?.[1] ?? UNKNOWN_VERSION;
  return { directory, version };
}

/**
 * The program's Rust toolchain and printers; undefined for a program no rustc built. Printers of the same release
 * are preferred, then the nearest within NEAR_RELEASES (the note says so); further ones are not used.
 */
export function findRustProgram(program: string, env: NodeJS.ProcessEnv = process.env): RustProgram | undefined {
  const builtBy = builtByRustc(program);
  if (builtBy === undefined) {
    return undefined;
  }
  const found = candidateSysroots(env).map(printersIn).filter((p): p is RustPrinters => p !== undefined);
  const same = found.find((p) => releaseOf(p.version) === releaseOf(builtBy));
  if (same || (found.length > 0 && builtBy === UNKNOWN_VERSION)) {
    return { builtBy, printers: same ?? found[0] };
  }
  const near = nearestRelease(builtBy, found);
  if (near) {
    return {
      builtBy,
      printers: near,
      note: `the program was built by rustc ${builtBy}, whose printers were not found: Rust values are shown with those of rustc ${near.version}`,
    };
  }
  if (found.length > 0) {
    // Measured: 1.95's printers on a 1.63 program, and the reverse, fail on every String and Vec
    // ("Cannot instantiate printer"): raw values are better than none.
    return {
      builtBy,
      note: `the program was built by rustc ${builtBy}; the printers found (rustc ${found.map((f) => f.version).join(', ')}) are too far from it to read its values, so Rust values are shown raw. Install that toolchain (rustup toolchain install ${releaseOf(builtBy)})`,
    };
  }
  return {
    builtBy,
    note: `the program was built by rustc ${builtBy}, but no Rust toolchain with gdb printers was found (rustc on PATH, rustup's toolchains, /usr): Rust values are shown raw. Install the toolchain (with rustup, or Debian's rustc and rust-gdb)`,
  };
}
