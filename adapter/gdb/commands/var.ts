/** Variable objects: -var-*. gdb keeps their children, types and formats, so expansion is exact. */
import { MiSender } from '../mi/types';
import { miInt, miString, miTupleList } from '../mi/access';
import { flag, miCommand } from '../mi/quote';
import { MiTuple } from '../mi/types';
import { FrameRef, inFrame } from './context';

export interface GdbVarObject {
  /** gdb's name for the object (var1, var1.field), used to ask for children or assign. */
  name: string;
  /** The expression of a child relative to its parent (a field name, an index). */
  exp: string;
  value: string;
  type: string;
  numchild: number;
  /** A pretty-printer decides the value and the children (children are then known only once listed). */
  dynamic: boolean;
  /** A dynamic object that has children not listed yet. */
  hasMore: boolean;
  /** The pretty-printer's display hint: 'string', 'array' or 'map' (key and value children alternate). */
  displayHint?: string;
}

function parseVarObject(t: MiTuple, exp: string): GdbVarObject {
  return {
    name: miString(t, 'name') ?? '',
    exp: miString(t, 'exp') ?? exp,
    value: miString(t, 'value') ?? '',
    type: miString(t, 'type') ?? '',
    numchild: miInt(t, 'numchild') ?? 0,
    dynamic: miString(t, 'dynamic') === '1',
    hasMore: miString(t, 'has_more') === '1',
    displayHint: miString(t, 'displayhint'),
  };
}

/** Creates a variable object for `expression` evaluated in `frame` ("-" lets gdb pick the name). */
export async function create(gdb: MiSender, expression: string, frame?: FrameRef): Promise<GdbVarObject> {
  const scope = frame ? inFrame(frame) : [];
  const results = await gdb.send(miCommand('-var-create', ...scope, '-', '*', expression));
  return parseVarObject(results, expression);
}

/** Children [from, to) (all when no range), and whether a pretty-printer has more after them. */
export async function listChildren(gdb: MiSender, name: string, from?: number, to?: number): Promise<{ children: GdbVarObject[]; hasMore: boolean }> {
  const range = from !== undefined && to !== undefined ? [from, to] : [];
  const results = await gdb.send(miCommand('-var-list-children', flag('--all-values'), name, ...range));
  return { children: miTupleList(results, 'children').map((c) => parseVarObject(c, '')), hasMore: miString(results, 'has_more') === '1' };
}

/** How gdb shows a variable object's value (children do not inherit it). */
export type DisplayFormat = 'natural' | 'hexadecimal' | 'octal' | 'binary' | 'decimal';

/** Sets the object's display format; returns its value in that format. */
export async function setFormat(gdb: MiSender, name: string, format: DisplayFormat): Promise<string> {
  const results = await gdb.send(miCommand('-var-set-format', name, format));
  return miString(results, 'value') ?? '';
}

export async function assign(gdb: MiSender, name: string, expression: string): Promise<string> {
  const results = await gdb.send(miCommand('-var-assign', name, expression));
  return miString(results, 'value') ?? '';
}

export async function remove(gdb: MiSender, name: string): Promise<void> {
  await gdb.send(miCommand('-var-delete', name));
}

/** The expression that names this object from the frame (for watch expressions, copy as expression). */
export async function pathExpression(gdb: MiSender, name: string): Promise<string> {
  const results = await gdb.send(miCommand('-var-info-path-expression', name));
  return miString(results, 'path_expr') ?? '';
}
