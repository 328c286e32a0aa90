/**
 * What may be evaluated to find a location to watch. Resolving a watch evaluates `&(expression)` in gdb,
 * so an expression with a side effect (an assignment, an increment, a call) would change the program just
 * by being watched: a persisted dataId edited to `g/8/x = 4242` once ran the assignment. Such expressions
 * are refused; the rest of C's lvalues (casts, indexing by a variable, dereferences) are allowed.
 */
const CALL_EXEMPT = new Set(['sizeof', 'alignof', '_Alignof', '__alignof__', 'offsetof', '__builtin_offsetof']);

/** Why `expression` cannot be watched, or undefined when it can. */
export function sideEffectOf(expression: string): string | undefined {
  // Literals can contain anything; only the code around them matters.
  const code = expression.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, '0');
  if (/\+\+|--/.test(code)) {
    return 'it increments or decrements';
  }
  // Comparisons (==, !=, <=, >=) are fine; '=' alone or compound assignment is not.
  if (/(^|[^=!<>])=(?!=)/.test(code) || /(<<|>>|[-+*/%&|^])=/.test(code)) {
    return 'it assigns';
  }
  for (const call of code.matchAll(/([A-Za-z_$][\w$]*)\s*\(/g)) {
    if (!CALL_EXEMPT.has(call[1])) {
      return `it calls ${call[1]}()`;
    }
  }
  // `(*fp)(3)` calls; `(long)(x)` and `(char *)(p)` are casts: a type name, then stars, in the parentheses.
  if (/\)\s*\(/.test(code) && !/^\s*\(\s*[A-Za-z_][\w\s]*\**\s*\)\s*\(/.test(code)) {
    return 'it calls through a pointer';
  }
  return undefined;
}

/** The message for an expression that cannot be watched because evaluating it would change the program. */
export function sideEffectMessage(expression: string): string | undefined {
  const why = sideEffectOf(expression);
  return why && `'${expression}' cannot be watched: ${why}, and finding its address would do that in the program; name the variable itself`;
}
