import { badRequest } from "../problem.js";

type Test = (payload: unknown) => boolean;

const condition = /^\s*\$((?:\.[A-Za-z_][A-Za-z0-9_]*)+)\s*(==|!=|=~)\s*(?:'([^']*)'|"([^"]*)"|\/((?:[^/\\]|\\.)*)\/(i?))\s*$/;

function valueAt(payload: unknown, path: string[]): unknown {
  let value = payload;
  for (const key of path) value = value !== null && typeof value === "object" ? (value as Record<string, unknown>)[key] : undefined;
  return value;
}

function parseCondition(text: string, whole: string): Test {
  const m = condition.exec(text);
  if (!m) {
    throw badRequest(
      `filterExpression "${whole}": cannot read "${text.trim()}"; the simulator understands $.field.path == 'text', != 'text' or =~ /regex/i, joined by && or ||`,
      { filterExpression: whole },
    );
  }
  const [, dotted = "", op, single, double, source, flags] = m;
  const path = dotted.slice(1).split(".");
  if (op === "=~") {
    // Jayway JsonPath (Java) matches the whole value, as Matcher.matches() does.
    const regex = new RegExp(`^(?:${source ?? ""})$`, flags);
    return (payload) => {
      const value = valueAt(payload, path);
      return typeof value === "string" && regex.test(value);
    };
  }
  const expected = single ?? double ?? "";
  return op === "==" ? (payload) => valueAt(payload, path) === expected : (payload) => valueAt(payload, path) !== expected;
}

/**
 * A subscription's `filterExpression`, read as a JsonPath filter over the event payload (the analysis):
 * `[?($.pipeline.code =~ /.*bcl.*convert.*\/i)]`. ICA documents the field (≤ 2,000 characters) but not
 * its grammar; this subset (==, != and =~ on dotted paths, joined by && then ||) is an assumption —
 * docs/simulator.md says so. An expression outside it is refused (400) when the subscription is created.
 */
export function parseFilterExpression(expression: string): Test {
  const body = /^\s*\[\?\((.*)\)\]\s*$/s.exec(expression)?.[1];
  if (body === undefined) throw badRequest(`filterExpression "${expression}" must have the form [?(<condition>)]`, { filterExpression: expression });
  const anyOf = body.split("||").map((part) => part.split("&&").map((c) => parseCondition(c, expression)));
  return (payload) => anyOf.some((allOf) => allOf.every((test) => test(payload)));
}
