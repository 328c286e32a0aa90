/**
 * Indexing where gdb's Rust evaluator cannot: it subscripts arrays and slices only, so `v[3]` on a Vec fails with
 * "Cannot subscript non-array type", and on a `&Vec` (a parameter) it does pointer arithmetic and shows garbage.
 * In a Rust program every subscript is rewritten to `$pwatch_index(v, 3)`, a gdb function (see helpers.ts) that
 * indexes through the value's pretty printer, reading memory only.
 */
import { endOfLiteral, findOutsideLiterals, OPENING } from '../util/expressionText';

export const INDEX_FUNCTION = 'pwatch_index';
/**
 * `$pwatch_index_key(map, length, words...)`: a map subscripted by a string literal. gdb's Rust evaluator puts a
 * string literal (a `&str`) in the program's memory, which takes a call of malloc in the program (on CPUs with AMX,
 * gdb 13 fails every call: CONTEXT.md), so the literal's text travels as integers instead, 7 bytes each.
 */
export const KEY_INDEX_FUNCTION = 'pwatch_index_key';

/** The call that looks `literal` (a string literal's source text, quotes included) up in `operand`. */
function keyLookup(operand: string, literal: string): string {
  const bytes = Buffer.from(literal, 'utf8');
  const words: string[] = [];
  for (let at = 0; at < bytes.length; at += 7) {
    const word = Buffer.alloc(7);
    bytes.copy(word, 0, at, Math.min(at + 7, bytes.length));
    words.push(`0x${word.toString('hex')}`);
  }
  return `$${KEY_INDEX_FUNCTION}(${operand}, ${bytes.length}, ${words.join(', ')})`;
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

/** Brackets nested deeper than this are refused: gdb's parsers recurse per level and overflow their stack (measured: 20,000 parentheses killed gdb). */
export const MAX_NESTING = 256;

/** The deepest nesting of brackets outside literals. */
export function nestingDepth(text: string): number {
  let deepest = 0;
  findOutsideLiterals(text, (c, _at, depth) => {
    deepest = OPENING.includes(c) ? Math.max(deepest, depth + 1) : deepest;
    return false;
  });
  return deepest;
}

/** Throws for an expression nested so deep that gdb's parser would overflow its stack and die. */
export function checkNesting(expression: string): void {
  if (nestingDepth(expression) > MAX_NESTING) {
    throw new Error(`not evaluated: brackets nested more than ${MAX_NESTING} deep overflow gdb's expression parser (it dies)`);
  }
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

/** `a, b` in a subscript is not an index (gdb says so), and would reach the index function as its flag. */
function hasTopLevelComma(text: string): boolean {
  return findOutsideLiterals(text, (c, _at, depth) => c === ',' && depth === 0) >= 0;
}

export interface RustExpression {
  /** The expression with every postfix subscript (`x[i]`, not a slice `x[a..b]`) a call of the index function. */
  text: string;
  /** It holds an array literal (`[1, 2]`), on which gdb 13's Rust parser fails an assertion and dies. */
  arrayLiteral: boolean;
}

/** Rewrites the subscripts of a Rust expression for the index function (see INDEX_FUNCTION). */
export function rewriteSubscripts(expression: string): RustExpression {
  let text = expression;
  let from = 0;
  let arrayLiteral = false;
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
      return { text, arrayLiteral };
    }
    const close = matching(text, open);
    if (close < 0) {
      return { text: expression, arrayLiteral }; // unbalanced: gdb says what is wrong
    }
    const start = operandStart(text, open - 1);
    const index = text.slice(open + 1, close).trim();
    if (start < 0 || index === '' || index.includes('..') || hasTopLevelComma(index)) {
      // Neither a subscript nor a slice: an array literal, or a list where an index goes (v[1, 2]).
      arrayLiteral ||= start < 0 || hasTopLevelComma(index);
      from = open + 1; // a slice is gdb's own
      continue;
    }
    const operand = text.slice(start, open).trim();
    const stringKey = index.startsWith('"') && endOfLiteral(index, 0) === index.length - 1;
    const call = stringKey ? keyLookup(operand, index) : `$${INDEX_FUNCTION}(${operand}, ${index})`;
    text = text.slice(0, start) + call + text.slice(close + 1);
    from = start; // subscripts inside the index, or chained after it, come next
  }
}

/**
 * A Rust expression as gdb is given it: subscripts through the index function (gdb's Rust evaluator subscripts a
 * Vec not at all, and a `&Vec` as a pointer, reading memory past it). Throws for what would kill gdb.
 */
export function rustExpression(expression: string): string {
  checkNesting(expression);
  const { text, arrayLiteral } = rewriteSubscripts(expression);
  if (arrayLiteral) {
    throw new Error(`not evaluated: gdb 13's Rust parser crashes on array literals such as [1, 2] (an internal error that ends gdb)`);
  }
  return text;
}
