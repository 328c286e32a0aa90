/** Typed reads from parsed MI tuples: gdb omits fields freely, so every read says what it expects. */
import { MiTuple, MiValue } from './types';

export function miString(tuple: MiTuple, key: string): string | undefined {
  const value = tuple[key];
  return typeof value === 'string' ? value : undefined;
}

export function miInt(tuple: MiTuple, key: string): number | undefined {
  const value = miString(tuple, key);
  if (value === undefined || !/^-?\d+$/.test(value)) {
    return undefined;
  }
  return Number(value);
}

export function miTuple(tuple: MiTuple, key: string): MiTuple | undefined {
  const value = tuple[key];
  return isTuple(value) ? value : undefined;
}

/** A list field; a single value is returned as a one-element list (gdb drops brackets sometimes). */
export function miList(tuple: MiTuple, key: string): MiValue[] {
  const value = tuple[key];
  if (value === undefined) {
    return [];
  }
  return Array.isArray(value) ? value : [value];
}

export function miTupleList(tuple: MiTuple, key: string): MiTuple[] {
  return miList(tuple, key).filter(isTuple);
}

export function isTuple(value: MiValue | undefined): value is MiTuple {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
