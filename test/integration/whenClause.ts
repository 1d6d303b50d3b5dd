// A small evaluator for the `when` clauses our package.json menus use: `a == b`, `a != b`, `a =~ /re/flags`,
// a bare key, `!expr`, `&&`, `||` and `true`/`false` (VS Code's precedence: ! over && over ||). Anything else
// (parentheses, `in`, comparisons, a key the context does not define) throws, so a clause this does not
// understand fails the menu test instead of being guessed at.

export type WhenContext = Readonly<Record<string, string | boolean | undefined>>;

export function evaluateWhen(clause: string, context: WhenContext): boolean {
  return clause.split('||').some((disjunct) => splitAnd(disjunct).every((term) => evaluateTerm(term.trim(), context, clause)));
}

/** Splits on `&&` outside regular-expression literals. */
function splitAnd(text: string): string[] {
  const parts: string[] = [];
  let start = 0;
  let inRegex = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '/' && text[i - 1] !== '\\') {
      // A regex starts only right after `=~`.
      if (!inRegex && /=~\s*$/.test(text.slice(0, i))) inRegex = true;
      else if (inRegex) inRegex = false;
    } else if (!inRegex && c === '&' && text[i + 1] === '&') {
      parts.push(text.slice(start, i));
      start = i + 2;
      i++;
    }
  }
  parts.push(text.slice(start));
  return parts;
}

function evaluateTerm(term: string, context: WhenContext, clause: string): boolean {
  if (term.startsWith('!')) return !evaluateTerm(term.slice(1).trim(), context, clause);
  if (term === 'true') return true;
  if (term === 'false') return false;
  const regex = /^([\w.]+)\s*=~\s*\/(.*)\/([a-z]*)$/.exec(term);
  if (regex) return new RegExp(regex[2], regex[3]).test(String(value(regex[1], context, clause)));
  const compare = /^([\w.]+)\s*(==|!=)\s*([\w.-]+)$/.exec(term);
  if (compare) {
    const equal = String(value(compare[1], context, clause)) === compare[3];
    return compare[2] === '==' ? equal : !equal;
  }
  if (/^[\w.]+$/.test(term)) return Boolean(value(term, context, clause));
  throw new Error(`when clause "${clause}": cannot evaluate "${term}"`);
}

function value(key: string, context: WhenContext, clause: string): string | boolean | undefined {
  if (!(key in context)) throw new Error(`when clause "${clause}": the context has no "${key}"`);
  return context[key];
}
