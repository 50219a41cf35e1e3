import { describe, expect, it } from "vitest";
import { ExpositionError, parseExposition, renderExposition, type MetricFamily } from "../../src/metrics/index.js";

/**
 * The line grammar of the text format (0.0.4), written out independently of the parser under test:
 * HELP/TYPE lines, and samples `name{label="value",…} value`.
 */
const helpLine = /^# HELP [a-zA-Z_:][a-zA-Z0-9_:]* (?:[^\\\n]|\\\\|\\n)*$/;
const typeLine = /^# TYPE [a-zA-Z_:][a-zA-Z0-9_:]* (counter|gauge|histogram|summary|untyped)$/;
const labelValue = String.raw`"(?:[^"\\\n]|\\\\|\\"|\\n)*"`;
const sampleLine = new RegExp(
  String.raw`^[a-zA-Z_:][a-zA-Z0-9_:]*(\{[a-zA-Z_][a-zA-Z0-9_]*=${labelValue}(,[a-zA-Z_][a-zA-Z0-9_]*=${labelValue})*\})? (NaN|[+-]Inf|[-+]?\d+(\.\d+)?([eE][-+]?\d+)?)$`,
);

const family = (name: string, samples: MetricFamily["samples"], help = "Help."): MetricFamily => ({ name, help, type: "gauge", samples });

describe("metrics/exposition", () => {
  it("renders HELP and TYPE before each family and escapes help and label values", () => {
    const text = renderExposition([
      family("x_items", [
        { name: "x_items", labels: { source: 'Runs "A"', path: "C:\\data\nnext" }, value: 3 },
        { name: "x_items", labels: { source: "B", path: "" }, value: 0.25 },
      ], "Items with a \\ backslash\nand a newline."),
      family("x_odd", [
        { name: "x_odd", labels: {}, value: Number.NaN },
        { name: "x_odd", labels: { k: "inf" }, value: Infinity },
        { name: "x_odd", labels: { k: "-inf" }, value: -Infinity },
        { name: "x_odd", labels: { k: "big" }, value: 1.7e21 },
      ]),
    ]);
    expect(text).toBe(
      [
        "# HELP x_items Items with a \\\\ backslash\\nand a newline.",
        "# TYPE x_items gauge",
        'x_items{source="Runs \\"A\\"",path="C:\\\\data\\nnext"} 3',
        'x_items{source="B",path=""} 0.25',
        "# HELP x_odd Help.",
        "# TYPE x_odd gauge",
        "x_odd NaN",
        'x_odd{k="inf"} +Inf',
        'x_odd{k="-inf"} -Inf',
        'x_odd{k="big"} 1.7e+21',
        "",
      ].join("\n"),
    );
    for (const line of text.trimEnd().split("\n")) expect(helpLine.test(line) || typeLine.test(line) || sampleLine.test(line), line).toBe(true);
    const parsed = parseExposition(text);
    expect(parsed.map((f) => [f.name, f.help, f.type])).toEqual([
      ["x_items", "Items with a \\ backslash\nand a newline.", "gauge"],
      ["x_odd", "Help.", "gauge"],
    ]);
    expect(parsed[0]?.samples[0]).toEqual({ name: "x_items", labels: { source: 'Runs "A"', path: "C:\\data\nnext" }, value: 3 });
    expect(parsed[1]?.samples.map((s) => s.value)).toEqual([Number.NaN, Infinity, -Infinity, 1.7e21]);
    expect(renderExposition([])).toBe("");
  });

  it("refuses what Prometheus would refuse when rendering", () => {
    expect(() => renderExposition([family("bad-name", [])])).toThrow(ExpositionError);
    expect(() => renderExposition([family("x", [{ name: "y", labels: {}, value: 1 }])])).toThrow("sample y is not in family x");
    expect(() => renderExposition([family("x", [{ name: "x", labels: { "a-b": "1" }, value: 1 }])])).toThrow('invalid label name "a-b" on x');
    expect(() => renderExposition([family("x", [{ name: "x", labels: { __name__: "1" }, value: 1 }])])).toThrow(/invalid label name "__name__"/);
    const twice = { name: "x", labels: { a: "1", b: "2" }, value: 1 };
    expect(() => renderExposition([family("x", [twice, { ...twice, labels: { b: "2", a: "1" } }])])).toThrow(/series x\{a="1",b="2"\} appears twice/);
  });

  it("parses strictly", () => {
    const bad: Array<[string, RegExp]> = [
      ['x{a="1"} 1\nx{a="1"} 2\n', /line 2: series x\{a="1"\} appears twice/],
      ["x 1\n# TYPE x gauge\n", /line 2: TYPE of x after its samples/],
      ['x{a="1"} 1\ny 2\nx{a="2"} 3\n', /line 3: x continues after another family started/],
      ['x{a="\\t"} 1\n', /line 1: invalid escape \\t in label a/],
      ['x{a="1} 1\n', /line 1: unterminated value of label a/],
      ['x{a="1",a="2"} 1\n', /line 1: label a appears twice/],
      ["x one\n", /line 1: "one" is not a sample value/],
      ["x 1 later\n", /line 1: "later" is not a timestamp/],
      ["# TYPE x histogram\n", /line 1: type "histogram" is not supported/],
      ["9x 1\n", /line 1: expected a metric name/],
      ["x{a=1} 1\n", /line 1: expected ="…" after label a/],
    ];
    for (const [text, error] of bad) expect(() => parseExposition(text), text).toThrow(error);
    expect(parseExposition('# a comment\n\nx{a="1",} 1 1700000000000\n')).toEqual([{ name: "x", help: "", type: "untyped", samples: [{ name: "x", labels: { a: "1" }, value: 1 }] }]);
  });
});
