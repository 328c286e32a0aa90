/** How a gdb variable object is shown in DAP: value, type, paging counts and a memory reference. */
import { DebugProtocol } from '@vscode/debugprotocol';
import { DisplayFormat, GdbVarObject } from '../gdb/commands/var';
import { elementCount } from './pretty';

/**
 * Whether a variable opens. A pretty-printed object listed as a child says neither numchild nor has_more
 * (gdb 13: `numchild="0" dynamic="1"`), so it opens unless it is a string or its printer says it is empty.
 */
export function isExpandable(object: Pick<GdbVarObject, 'numchild' | 'hasMore' | 'dynamic' | 'displayHint' | 'value'>): boolean {
  if (object.numchild > 0 || object.hasMore) {
    return true;
  }
  return object.dynamic && object.displayHint !== 'string' && object.value !== '' && elementCount(object.value) !== 0;
}

/** C's and C++'s `T *` / `T *const`, Rust's `*mut T`, `*const T`, `&T`, `&mut T`. */
export function isPointerType(type: string): boolean {
  return /\*\s*(const\s*)?$/.test(type) || /^(\*(mut|const) |&)/.test(type);
}

/**
 * A value with no members and no printer: a number, character, enumerator or pointer (gdb lists a pointer's
 * target as its child), copied safely by value.
 */
export function isScalar(object: Pick<GdbVarObject, 'numchild' | 'hasMore' | 'dynamic' | 'type'>): boolean {
  return !object.hasMore && !object.dynamic && (object.numchild === 0 || isPointerType(object.type));
}

/** A pointer's value starts with its address: that is what the memory view opens. */
export function memoryReferenceOf(object: Pick<GdbVarObject, 'type' | 'value'>): string | undefined {
  if (!isPointerType(object.type)) {
    return undefined;
  }
  const match = /^(0x[0-9a-fA-F]+)/.exec(object.value);
  return match ? match[1] : undefined;
}

/** Arrays page their elements: VS Code asks for ranges when it knows the count. */
export function isArrayType(type: string): boolean {
  return /\[\d+\]$/.test(type.trim());
}

export function formatVariable(name: string, object: GdbVarObject): Omit<DebugProtocol.Variable, 'variablesReference'> {
  const variable: Omit<DebugProtocol.Variable, 'variablesReference'> = {
    name,
    value: object.value,
    type: object.type,
  };
  const memoryReference = memoryReferenceOf(object);
  if (memoryReference) {
    variable.memoryReference = memoryReference;
  }
  if (isArrayType(object.type) && object.numchild > 0) {
    variable.indexedVariables = object.numchild;
  }
  return variable;
}

const FORMAT_SUFFIXES: Record<string, DisplayFormat> = { x: 'hexadecimal', h: 'hexadecimal', o: 'octal', b: 'binary', d: 'decimal' };

/**
 * A watch or console expression may end in a format suffix, as in cpptools and Visual Studio: `arr[3],x` (hex),
 * `,o`, `,b`, `,d`. Only a trailing `,<letter>` counts, so calls and subscripts with commas are untouched.
 */
export function splitFormatSuffix(expression: string): { expression: string; format?: DisplayFormat } {
  const match = /^(.*\S)\s*,\s*([xhobd])\s*$/.exec(expression);
  if (!match || /,\s*$/.test(match[1])) {
    return { expression };
  }
  return { expression: match[1], format: FORMAT_SUFFIXES[match[2]] };
}
