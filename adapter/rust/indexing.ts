/**
 * Indexing where gdb's Rust evaluator cannot: it subscripts arrays and slices only, so `v[3]` on a Vec fails with
 * "Cannot subscript non-array type". Such subscripts are rewritten to `$pwatch_index(v, 3)`, a gdb function (see
 * helpers.ts) that indexes through the value's pretty printer, reading memory only.
 */

export const INDEX_FUNCTION = 'pwatch_index';

/** gdb's Rust evaluator's refusal, after which the rewritten expression is tried. */
export function isRustSubscriptRefusal(message: string): boolean {
  return /Cannot subscript non-array type/.test(message);
}

const OPERAND_CHAR = /[\w.:$]/;

/**
 * The bracket matching the one at `at`: searched forward from an opening `(`/`[`, backward from a closing one
 * (over text already rewritten, so only forward does literals need skipping); -1 when unbalanced.
 */
function matching(text: string, at: number): number {
  const forward = text[at] === '(' || text[at] === '[';
  const step = forward ? 1 : -1;
  let depth = 0;
  for (let i = at; i >= 0 && i < text.length; i += step) {
    const c = text[i];
    if (forward && (c === '"' || c === "'")) {
      i = endOfLiteral(text, i);
      continue;
    }
    depth += c === '(' || c === '[' ? step : c === ')' || c === ']' ? -step : 0;
    if (depth === 0) {
      return i;
    }
  }
  return -1;
}

/** Where a string or char literal starting at `start` ends (its closing quote). */
function endOfLiteral(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i++) {
    if (text[i] === '\\') {
      i++;
    } else if (text[i] === text[start]) {
      return i;
    }
  }
  return text.length;
}

/** The start of the postfix operand ending just before `end` (`a.b`, `f(x)`, `$pwatch_index(v, 1)`), or -1. */
function operandStart(text: string, end: number): number {
  let i = end;
  while (i >= 0 && text[i] === ' ') {
    i--;
  }
  const last = i;
  while (i >= 0) {
    if (text[i] === ')' || text[i] === ']') {
      i = matching(text, i);
      if (i < 0) {
        return -1;
      }
      i--;
    } else if (OPERAND_CHAR.test(text[i])) {
      i--;
    } else {
      break;
    }
  }
  return i === last ? -1 : i + 1;
}

/** `expression` with every postfix subscript (`x[i]`, not a slice `x[a..b]`) made a call of the index function. */
export function rewriteSubscripts(expression: string): string | undefined {
  let text = expression;
  let from = 0;
  let changed = false;
  for (;;) {
    let open = -1;
    for (let i = from; i < text.length; i++) {
      if (text[i] === '"' || text[i] === "'") {
        i = endOfLiteral(text, i);
      } else if (text[i] === '[') {
        open = i;
        break;
      }
    }
    if (open < 0) {
      return changed ? text : undefined;
    }
    const close = matching(text, open);
    if (close < 0) {
      return undefined;
    }
    const start = operandStart(text, open - 1);
    const index = text.slice(open + 1, close).trim();
    if (start < 0 || index === '' || index.includes('..')) {
      from = open + 1; // an array literal, or a slice: gdb's own
      continue;
    }
    const operand = text.slice(start, open).trim();
    const call = `$${INDEX_FUNCTION}(${operand}, ${index})`;
    text = text.slice(0, start) + call + text.slice(close + 1);
    from = start; // subscripts inside the index, or chained after it, come next
    changed = true;
  }
}
