/**
 * Assignments typed as expressions (`s = t` in the Debug Console or a watch): found here so they pass the same
 * check as Set Value (variableStore.ts: no byte copies of structures, no Rust pointers). Pure, unit-tested.
 */
import { findOutsideLiterals } from '../util/expressionText';

/** Operators that end in '=' without assigning. */
const COMPARISONS = new Set(['==', '!=', '<=', '>=']);

/**
 * The target of the top-level assignment in `expression` (`a.b = c` → `a.b`, `x += 1` → `x`), or undefined when
 * it assigns nothing at its top level (comparisons, `=>`, assignments inside calls or strings).
 */
export function assignmentTarget(expression: string): string | undefined {
  const at = findOutsideLiterals(expression, (c, i, depth) => c === '=' && depth === 0 && assigns(expression, i));
  if (at < 0) {
    return undefined;
  }
  // Compound assignments: `+=`, `<<=`, … assign to what is before the operator.
  const operator = /(<<|>>|[-+*/%&|^])$/.exec(expression.slice(0, at))?.[0] ?? '';
  const target = expression.slice(0, at - operator.length).trim();
  return target === '' ? undefined : target;
}

/** Whether the '=' at `at` assigns: not part of '==', '!=', '<=', '>=' or '=>' ('<<=' and '>>=' do assign). */
function assigns(expression: string, at: number): boolean {
  const pair = expression.slice(at - 1, at + 1);
  const shift = (pair === '<=' || pair === '>=') && expression[at - 2] === pair[0];
  return expression[at + 1] !== '=' && expression[at + 1] !== '>' && (!COMPARISONS.has(pair) || shift);
}
