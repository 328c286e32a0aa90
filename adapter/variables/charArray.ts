/**
 * C strings held in char arrays (`char name[64]`): gdb assigns a string literal to one only when the sizes match
 * exactly, so Set Value with a literal writes its bytes and a NUL into the array itself, when they fit. Pure
 * parsing here; the variable store writes.
 */

const SIMPLE_ESCAPES: Record<string, number> = { n: 10, t: 9, r: 13, a: 7, b: 8, f: 12, v: 11, '\\': 92, '"': 34, "'": 39, '?': 63 };

/** The bytes of one C string literal ("Ada\n", escapes included, UTF-8 text), or undefined when `text` is not one. */
export function cStringLiteral(text: string): Buffer | undefined {
  if (text.length < 2 || !text.startsWith('"') || !text.endsWith('"')) {
    return undefined;
  }
  const body = text.slice(1, -1);
  const bytes: number[] = [];
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c === '"') {
      return undefined; // two literals, or an unescaped quote: not one literal
    }
    if (c !== '\\') {
      bytes.push(...Buffer.from(c, 'utf8'));
      continue;
    }
    const next = body[++i];
    if (next === undefined) {
      return undefined;
    }
    if (next in SIMPLE_ESCAPES) {
      bytes.push(SIMPLE_ESCAPES[next]);
    } else if (next === 'x') {
      const hex = /^[0-9a-fA-F]{1,2}/.exec(body.slice(i + 1))?.[0];
      if (!hex) {
        return undefined;
      }
      bytes.push(parseInt(hex, 16));
      i += hex.length;
    } else if (/[0-7]/.test(next)) {
      const octal = /^[0-7]{1,3}/.exec(body.slice(i))![0];
      bytes.push(parseInt(octal, 8) & 0xff);
      i += octal.length - 1;
    } else {
      return undefined;
    }
  }
  return Buffer.from(bytes);
}

/** The element count of a char array type as gdb names it ("char [256]", "unsigned char [16]"), or undefined. */
export function charArrayLength(type: string): number | undefined {
  const match = /^(?:const\s+)?(?:(?:un)?signed\s+)?char\s*\[(\d+)\]$/.exec(type.trim());
  return match ? Number(match[1]) : undefined;
}
