/**
 * Watched bytes shown as their type shows them, as gdb would print the variable: `0.5` for a float, `(struct
 * job *) 0x5555...` for a pointer, `65 'A'` for a char. The type is asked of gdb once, when the breakpoint is
 * armed; formatting the bytes of each hit is then pure, so a racing writer's value (known only as bytes from its
 * store instruction, never in memory at the stop) is shown as exactly as the one in memory. Types that need
 * gdb's knowledge (enums, structures) are named by gdb from the bytes when a stop is reported.
 */
import * as data from '../gdb/commands/data';
import * as varObjects from '../gdb/commands/var';
import { MiSender } from '../gdb/connection';
import { formatBytes } from './memory';

export type ValueKind = 'signed' | 'unsigned' | 'float' | 'pointer' | 'bool' | 'char' | 'other';

export interface ValueType {
  /** gdb's name of the type, e.g. `float`, `struct job *`. */
  name: string;
  kind: ValueKind;
}

const UNSIGNED = /^(unsigned\b|uint\d+_t$|u?size_t$|uintptr_t$|u(8|16|32|64|128)$|usize$|_Bool$|bool$)/;
const SIGNED = /^(signed\b|int\b|long\b|short\b|int\d+_t$|ssize_t$|intptr_t$|ptrdiff_t$|i(8|16|32|64|128)$|isize$|long long\b)/;

/** The kind of a type from gdb's name of it (typedefs are resolved by the caller when gdb can). */
export function kindOf(name: string, size: number): ValueKind {
  const type = name.trim().replace(/^(const|volatile)\s+/g, '');
  if (/\*$|^&|^\*(const |mut )?/.test(type)) {
    return 'pointer';
  }
  if ((type === 'float' && size === 4) || (type === 'double' && size === 8) || type === 'f32' || type === 'f64') {
    return 'float';
  }
  if (type === 'bool' || type === '_Bool') {
    return size === 1 ? 'bool' : 'other';
  }
  if (/^(signed |unsigned )?char$/.test(type) && size === 1) {
    return 'char';
  }
  if (UNSIGNED.test(type)) {
    return 'unsigned';
  }
  if (SIGNED.test(type) || /^(char|wchar_t|char(8|16|32)_t)$/.test(type)) {
    return 'signed';
  }
  return 'other';
}

/** Asks gdb the type of `expression` (its typedefs resolved); undefined for an address watch. */
export async function typeOf(gdb: MiSender, expression: string | undefined, size: number): Promise<ValueType | undefined> {
  if (expression === undefined) {
    return undefined;
  }
  try {
    const made = await varObjects.create(gdb, expression);
    await varObjects.remove(gdb, made.name).catch(() => undefined);
    let kind = kindOf(made.type, size);
    if (kind === 'other' && !/^(struct|union|class|enum)\b/.test(made.type)) {
      // A typedef (my_real, gfloat) says nothing by its name. Adding 0 makes gdb resolve it: a floating type
      // stays one (integers are promoted to int, which would lose their signedness, so only floats are taken).
      const sum = await varObjects.create(gdb, `(${expression}) + 0`).catch(() => undefined);
      if (sum) {
        await varObjects.remove(gdb, sum.name).catch(() => undefined);
        kind = kindOf(sum.type, size) === 'float' ? 'float' : kind;
      }
    }
    return { name: made.type, kind };
  } catch {
    return undefined;
  }
}

function floatText(value: number, digits: number): string {
  return Number.isFinite(value) ? String(Number(value.toPrecision(digits))) : String(value).replace('Infinity', 'inf').replace('NaN', 'nan');
}

/** The bytes as the type shows them, or undefined when gdb must say it (enums, structures). */
export function formatTyped(bytes: Buffer, type: ValueType | undefined): string | undefined {
  if (!type) {
    return formatBytes(bytes);
  }
  const size = bytes.length;
  switch (type.kind) {
    case 'float':
      return size === 4 ? floatText(bytes.readFloatLE(0), 9) : floatText(bytes.readDoubleLE(0), 17);
    case 'pointer': {
      const word = size === 8 ? bytes.readBigUInt64LE(0) : size === 4 ? BigInt(bytes.readUInt32LE(0)) : undefined;
      return word === undefined ? undefined : word === 0n ? `(${type.name}) 0x0` : `(${type.name}) 0x${word.toString(16)}`;
    }
    case 'bool':
      return bytes[0] === 0 ? 'false' : bytes[0] === 1 ? 'true' : String(bytes[0]);
    case 'char': {
      const code = type.name.includes('unsigned') ? bytes.readUInt8(0) : bytes.readInt8(0);
      const printable = bytes[0] >= 0x20 && bytes[0] < 0x7f;
      const escapes: Record<number, string> = { 0: '\\000', 10: '\\n', 9: '\\t', 13: '\\r', 39: "\\'", 92: '\\\\' };
      return `${code} '${escapes[bytes[0]] ?? (printable ? String.fromCharCode(bytes[0]) : `\\${bytes[0].toString(8).padStart(3, '0')}`)}'`;
    }
    case 'unsigned':
      return size <= 8 && [1, 2, 4, 8].includes(size) ? readUnsigned(bytes).toString() : formatBytes(bytes);
    case 'signed':
      return formatBytes(bytes);
    default:
      return undefined;
  }
}

function readUnsigned(bytes: Buffer): bigint {
  const padded = Buffer.alloc(8);
  bytes.copy(padded);
  return padded.readBigUInt64LE(0);
}

/** A C string literal for gdb: type names come from gdb, but nothing reaches it unquoted. */
function cString(text: string): string {
  return `"${text.replace(/[\\"]/g, (ch) => `\\${ch}`)}"`;
}

/**
 * The bytes through gdb, for types only gdb knows how to show (structures, C++ enums, classes with printers):
 * gdb's Python makes a value of the type from the bytes ($_pwatch_bytes), so a value that is not in memory any
 * more (an old value, what a racing writer stored) shows as the one in memory would. Without Python: hex bytes.
 */
export async function formatWithGdb(gdb: MiSender, bytes: Buffer, type: ValueType, python: boolean): Promise<string> {
  const typed = formatTyped(bytes, type);
  if (typed !== undefined) {
    return typed;
  }
  if (python && !/["\\\n]/.test(type.name)) {
    const text = await data.evaluate(gdb, `$_pwatch_bytes(${cString(bytes.toString('hex'))}, ${cString(type.name)})`).catch(() => undefined);
    if (text !== undefined) {
      return text;
    }
  }
  return formatBytes(bytes);
}
