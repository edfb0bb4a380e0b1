/**
 * A safe evaluator for the fake registry's objectives: metric ids, numbers, true/false, comparisons, `!`, `&&`, `||`
 * and parentheses. The real registry runs objectives with `vm.runInThisContext`; the fake never evaluates code.
 */
type Token = { kind: "number"; value: number } | { kind: "name"; value: string } | { kind: "op"; value: string };

const OPERATORS = ["===", "!==", ">=", "<=", "==", "!=", "&&", "||", ">", "<", "!", "(", ")"];

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let index = 0;
  while (index < text.length) {
    const rest = text.slice(index);
    const space = /^\s+/.exec(rest);
    if (space) {
      index += space[0].length;
      continue;
    }
    const number = /^-?\d+(\.\d+)?/.exec(rest);
    if (
      number &&
      (tokens.length === 0 || (tokens[tokens.length - 1]!.kind === "op" && tokens[tokens.length - 1]!.value !== ")"))
    ) {
      tokens.push({ kind: "number", value: Number(number[0]) });
      index += number[0].length;
      continue;
    }
    const name = /^[A-Za-z_$][A-Za-z0-9_$]*/.exec(rest);
    if (name) {
      tokens.push({ kind: "name", value: name[0] });
      index += name[0].length;
      continue;
    }
    const operator = OPERATORS.find((candidate) => rest.startsWith(candidate));
    if (!operator) throw new Error(`objective: unexpected "${rest[0]}" at ${index}`);
    tokens.push({ kind: "op", value: operator });
    index += operator.length;
  }
  return tokens;
}

export function evaluateObjective(objective: string, variables: Record<string, unknown>): boolean {
  const tokens = tokenize(objective);
  let position = 0;
  const peek = () => tokens[position];
  const take = (value?: string) => {
    const token = tokens[position];
    if (!token || (value !== undefined && token.value !== value))
      throw new Error(`objective: expected ${value ?? "a value"} at token ${position}`);
    position += 1;
    return token;
  };
  const primary = (): unknown => {
    const token = take();
    if (token.kind === "number") return token.value;
    if (token.kind === "name") {
      if (token.value === "true") return true;
      if (token.value === "false") return false;
      if (!(token.value in variables)) throw new Error(`objective: ${token.value} is not defined`);
      return variables[token.value];
    }
    if (token.value === "(") {
      const value = or();
      take(")");
      return value;
    }
    if (token.value === "!") return !primary();
    throw new Error(`objective: unexpected ${token.value}`);
  };
  const comparison = (): unknown => {
    const left = primary();
    const operator = peek();
    if (
      !operator ||
      operator.kind !== "op" ||
      !["===", "!==", ">=", "<=", "==", "!=", ">", "<"].includes(operator.value)
    )
      return left;
    position += 1;
    const right = primary() as number;
    const l = left as number;
    switch (operator.value) {
      case ">=":
        return l >= right;
      case "<=":
        return l <= right;
      case ">":
        return l > right;
      case "<":
        return l < right;
      case "==":
      case "===":
        return l === right;
      default:
        return l !== right;
    }
  };
  const and = (): unknown => {
    let value = comparison();
    while (peek()?.value === "&&") {
      position += 1;
      const right = comparison();
      value = Boolean(value) && Boolean(right);
    }
    return value;
  };
  const or = (): unknown => {
    let value = and();
    while (peek()?.value === "||") {
      position += 1;
      const right = and();
      value = Boolean(value) || Boolean(right);
    }
    return value;
  };
  const result = or();
  if (position !== tokens.length) throw new Error(`objective: unexpected ${tokens[position]!.value}`);
  return Boolean(result);
}
