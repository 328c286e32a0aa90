/**
 * DAP hit conditions ("5", "> 5", ">= 5", "< 5", "<= 5", "== 5", "% 5"), evaluated by the adapter because
 * gdb only offers an ignore count.
 */
export type HitTest = (hits: number) => boolean;

export function parseHitCondition(text: string): HitTest | Error {
  const match = /^\s*(==|>=|<=|>|<|%)?\s*(\d+)\s*$/.exec(text);
  if (!match) {
    return new Error(`hit condition ${JSON.stringify(text)} is not understood: use a number or '>= N', '> N', '== N', '< N', '<= N', '% N'`);
  }
  const n = Number(match[2]);
  switch (match[1]) {
    case '>':
      return (hits) => hits > n;
    case '<':
      return (hits) => hits < n;
    case '<=':
      return (hits) => hits <= n;
    case '%':
      if (n === 0) {
        return new Error("hit condition '% 0' never matches: use a positive divisor");
      }
      return (hits) => hits % n === 0;
    case '==':
      return (hits) => hits === n;
    case '>=':
    case undefined:
    default:
      // A bare number means "break when the hit count reaches N" and on every hit after it.
      return (hits) => hits >= n;
  }
}
