/**
 * How Rust values gdb's variable objects show raw are presented: an enum (Option, Result, the program's own) is a
 * discriminant child ("<anonymous union>") beside its active variant, whose tuple fields are named __0, __1. The
 * user sees the variant as gdb prints it ("Some(42)") and opens it to its fields. Pure functions, unit-tested.
 */
import { GdbVarObject } from '../gdb/commands/var';

/** The child holding an enum's discriminant (or niche): nothing a user reads. */
export function isDiscriminant(child: Pick<GdbVarObject, 'exp'>): boolean {
  return child.exp === '<anonymous union>';
}

/** The child that is the enum's active variant: its type is the enum's, then `::Variant`. */
export function isVariantOf(child: Pick<GdbVarObject, 'exp' | 'type'>, enumType: string): boolean {
  return child.type === `${enumType}::${child.exp}`;
}

/** A tuple field's name as Rust writes it: `__0` → `0`. */
export function fieldName(exp: string): string {
  return /^__\d+$/.test(exp) ? exp.slice(2) : exp;
}

/** Longer summaries are cut: the Variables view shows one line, and the value opens to the rest. */
const SUMMARY_LIMIT = 200;

/**
 * The summary of a Rust struct or enum from gdb's print of it, without the type's path: for an enum
 * "core::option::Option<i32>::Some(42)" → "Some(42)", for a struct "accounts::Point {x: 1, y: 2}" → "{x: 1, y: 2}".
 * undefined when the print does not start with the type (not a value gdb's Rust printer made).
 */
export function rustSummary(printed: string, type: string): { summary: string; isEnum: boolean } | undefined {
  if (!printed.startsWith(type)) {
    return undefined;
  }
  const rest = printed.slice(type.length);
  const isEnum = rest.startsWith('::');
  const summary = (isEnum ? rest.slice(2) : rest).trim();
  return { summary: summary.length > SUMMARY_LIMIT ? `${summary.slice(0, SUMMARY_LIMIT)}…` : summary, isEnum };
}

/** A variant with no fields (None, Closed) has nothing to open. */
export function isUnitVariant(summary: string): boolean {
  return /^[A-Za-z_]\w*$/.test(summary);
}
