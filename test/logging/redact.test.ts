import { describe, expect, it } from "vitest";
import { REDACTED, SecretRedactor } from "../../src/logging/redact.js";

const apiKey = "ica-key-4f9a2c7e81b3d5";
const token = "bs+token/with=chars";

describe("logging/redact SecretRedactor", () => {
  it("replaces known secrets and their URL-encoded and base64 forms", () => {
    const redactor = new SecretRedactor([apiKey, token]);
    const basic = Buffer.from(token).toString("base64");
    const text = `key ${apiKey} url ?t=${encodeURIComponent(token)} basic ${basic}`;
    const out = redactor.redact(text);
    expect(out).toBe(`key ${REDACTED} url ?t=${REDACTED} basic ${REDACTED}`);
  });

  it("learns secrets added at runtime", () => {
    const redactor = new SecretRedactor();
    expect(redactor.redact("session ASIAXYZSESSION")).toBe("session ASIAXYZSESSION");
    redactor.add("ASIAXYZSESSION");
    expect(redactor.redact("session ASIAXYZSESSION")).toBe(`session ${REDACTED}`);
  });

  it("ignores empty and very short secrets instead of shredding every log line", () => {
    const redactor = new SecretRedactor(["", "ab", undefined]);
    expect(redactor.redact("about a cab")).toBe("about a cab");
  });

  it.each([
    [
      "https://b.s3.amazonaws.com/k?X-Amz-Algorithm=AWS4&X-Amz-Credential=AKIA%2F2025&X-Amz-Signature=abc123&X-Amz-Security-Token=FQo",
      `https://b.s3.amazonaws.com/k?X-Amz-Algorithm=AWS4&X-Amz-Credential=${REDACTED}&X-Amz-Signature=${REDACTED}&X-Amz-Security-Token=${REDACTED}`,
    ],
    ["Authorization: Bearer eyJhbGciOi.payload.sig", `Authorization: Bearer ${REDACTED}`],
    ["authorization: Basic dXNlcjpwYXNz", `authorization: Basic ${REDACTED}`],
    ["X-API-Key: abcd1234 next", `X-API-Key: ${REDACTED} next`],
    ["x-access-token: 0123456789abcdef", `x-access-token: ${REDACTED}`],
    ["accessToken = 0123456789abcdef", `accessToken = ${REDACTED}`],
    ['{"x-api-key":"k123","accept":"json"}', `{"x-api-key":"${REDACTED}","accept":"json"}`],
    ["GET /v2/users/current?access_token=tok123&x=1", `GET /v2/users/current?access_token=${REDACTED}&x=1`],
    ["sent with Bearer abcdefghijklmnop", `sent with Bearer ${REDACTED}`],
  ])("redacts credential patterns: %s", (input, expected) => {
    expect(new SecretRedactor().redact(input)).toBe(expected);
  });

  it("leaves ordinary text about credentials readable", () => {
    const text = "no accessToken: add it with bs auth";
    expect(new SecretRedactor().redact(text)).toBe(text);
  });

  it("redacts deep in objects, arrays and errors without mutating them", () => {
    const redactor = new SecretRedactor([apiKey]);
    const cause = new Error(`inner ${apiKey}`);
    const error = Object.assign(new Error(`outer ${apiKey}`, { cause }), {
      config: { headers: { "X-API-Key": "not-registered-but-named", accept: "json" } },
    });
    const input = { list: [`a ${apiKey}`], nested: { deeper: { error } }, count: 3, when: new Date(0) };
    const out = redactor.redactDeep(input);
    const json = JSON.stringify(out);
    expect(json).not.toContain(apiKey);
    expect(json).not.toContain("not-registered-but-named");
    expect(json).toContain(`outer ${REDACTED}`);
    expect(json).toContain(`inner ${REDACTED}`);
    expect(out.count).toBe(3);
    expect(out.when).toEqual(new Date(0));
    expect(error.message).toBe(`outer ${apiKey}`);
    expect(input.list[0]).toBe(`a ${apiKey}`);
  });

  it("survives cycles and keeps shared (non-cyclic) references", () => {
    const shared = { id: "x" };
    const node: Record<string, unknown> = { a: shared, b: shared };
    node.self = node;
    const out = new SecretRedactor().redactDeep(node) as Record<string, unknown>;
    expect(out.self).toBe("[Circular]");
    expect(out.a).toEqual({ id: "x" });
    expect(out.b).toEqual({ id: "x" });
  });
});
