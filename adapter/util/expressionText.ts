/**
 * Expressions read as text, without parsing them: where a literal ends, and what stands outside literals at which
 * bracket depth. Shared by the Rust subscript rewriter, the nesting guard and the assignment check.
 */

export const OPENING = '([{';
const CLOSING = ')]}';

/**
 * Where a string or char literal starting at the quote at `start` ends (its closing quote). A raw string (`r"…"`,
 * `br#"…"#`) has no escapes and ends at a quote followed by as many `#` as opened it.
 */
export function endOfLiteral(text: string, start: number): number {
  const raw = /(?:^|[^\w])b?r(#*)$/.exec(text.slice(0, start));
  if (raw && text[start] === '"') {
    const end = text.indexOf(`"${raw[1]}`, start + 1);
    return end < 0 ? text.length : end + raw[1].length;
  }
  for (let i = start + 1; i < text.length; i++) {
    if (text[i] === '\\') {
      i++;
    } else if (text[i] === text[start]) {
      return i;
    }
  }
  return text.length;
}

/**
 * The first index outside string and char literals where `found` holds, given the character, its index and the
 * depth of brackets open before it; -1 when there is none.
 */
export function findOutsideLiterals(text: string, found: (c: string, at: number, depth: number) => boolean): number {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"' || c === "'") {
      i = endOfLiteral(text, i);
      continue;
    }
    if (found(c, i, depth)) {
      return i;
    }
    depth += OPENING.includes(c) ? 1 : CLOSING.includes(c) ? -1 : 0;
  }
  return -1;
}
