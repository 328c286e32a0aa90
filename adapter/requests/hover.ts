/**
 * Hovers are evaluated without the user asking, so only side-effect-free expressions are sent to gdb:
 * names, member access, indexing by a constant, dereference and address-of. A function call never is.
 */
export function isSafeHoverExpression(expression: string): boolean {
  return /^[&*]*[A-Za-z_$][\w$]*(\s*(\.|->)\s*[A-Za-z_]\w*|\[\s*\d+\s*\])*$/.test(expression.trim());
}
