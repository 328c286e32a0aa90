/**
 * Assignments typed as expressions (`s = t` in the Debug Console or a watch): found here so they pass the same
 * check as Set Value (variableStore.ts: no byte copies of structures, no Rust pointers). Pure, unit-tested.
 */

/** Operators that end in '=' without assigning. */
const COMPARISONS = new Set(['==', '!=', '<=', '>=']);

/**
 * The target of the top-level assignment in `expression` (`a.b = c` → `a.b`, `x += 1` → `x`), or undefined when
 * it assigns nothing at its top level (comparisons, `=>`, assignments inside calls or strings).
 */
export function assignmentTarget(expression: string): string | undefined {
  let depth = 0;
  for (let i = 0; i < expression.length; i++) {
    const c = expression[i];
    if (c === '"' || c === "'") {
      for (i++; i < expression.length && expression[i] !== c; i++) {
        if (expression[i] === '\\') {
          i++;
        }
      }
    } else if (c === '(' || c === '[' || c === '{') {
      depth++;
    } else if (c === ')' || c === ']' || c === '}') {
      depth--;
    } else if (c === '=' && depth === 0) {
      const pair = expression.slice(i - 1, i + 1);
      const shift = (pair === '<=' || pair === '>=') && expression[i - 2] === pair[0]; // `<<=`, `>>=`
      if (expression[i + 1] === '=' || expression[i + 1] === '>' || (COMPARISONS.has(pair) && !shift)) {
        i++; // '==', '=>', or the second character of '!=', '<=', '>='
        continue;
      }
      // Compound assignments: `+=`, `<<=`, … assign to what is before the operator.
      const operator = /(<<|>>|[-+*/%&|^])$/.exec(expression.slice(0, i))?.[0] ?? '';
      const target = expression.slice(0, i - operator.length).trim();
      return target === '' ? undefined : target;
    }
  }
  return undefined;
}
