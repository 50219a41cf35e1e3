import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { bundleCli, runCliProcess, type CliBundle } from "./cli-process.js";
import { Scenario } from "./scenario.js";
import { errorText, findLeaks, SecretSet } from "./secrets.js";

const s3Put = "PUT /{Bucket}/{Key+}";
const s3Get = "GET /{Bucket}/{Key+}";

let cli: CliBundle;
const open: Scenario[] = [];

async function scenario(): Promise<Scenario> {
  const s = await Scenario.start();
  open.push(s);
  return s;
}

beforeAll(async () => {
  cli = await bundleCli();
}, 60_000);
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});

describe("secrets never reach logs, reports, the journal, manifests or errors", () => {
  it("when presigned S3 transfers fail (uploads answered 500, downloads reset) and are reported at debug level", async () => {
    const s = await scenario();
    s.sim.setFaults({
      rules: [
        { route: s3Put, rate: 1, kinds: ["500"] },
        { route: s3Get, rate: 1, kinds: ["reset"] },
      ],
    });
    const failed = await s.cycle();
    expect(failed.outcome).toBe("failures");
    expect(failed.errors.join("\n")).toMatch(/S3|presigned|upload|download/i);
    // The failed transfers' URLs were handed out, so there is something to leak.
    expect(s.secrets.issuedCount()).toBeGreaterThan(0);
    s.sim.setFaults({ rules: [] });
    const reports = await s.converge();
    expect(findLeaks(await s.outputs({ reports: JSON.stringify([failed, ...reports]) }), s.secrets)).toEqual([]);
  });

  it("in an error thrown out of the cycle for a rejected key", async () => {
    const s = await scenario();
    const wrongKey = "REL-REJECTED-KEY-5d2c8e0f1a";
    const secrets = new SecretSet(wrongKey, s.sim.basespaceToken);
    await expect(s.cycle(s.settings({ apiKey: wrongKey }))).rejects.toThrow(/HTTP 401/);
    expect(s.thrown).toHaveLength(1);
    expect(findLeaks(await s.outputs(), secrets)).toEqual([]);
  });

  it("from the CLI at debug level, text and JSON logs, including its log file", async () => {
    const s = await scenario();
    const args = await s.cliArgs();
    const outputs: Record<string, string> = {};
    for (const format of ["text", "json"]) {
      const run = await runCliProcess(cli, ["run", ...args, "--log_level", "debug", "--log_format", format], { env: s.cliEnv() });
      expect(run.code).toBe(0);
      outputs[`${format} stdout`] = run.stdout;
      outputs[`${format} stderr`] = run.stderr;
    }
    // The JSON run logged JSON lines, and the first run uploaded manifests through presigned URLs.
    const jsonLines = (outputs["json stderr"] ?? "").split("\n").filter((line) => line !== "");
    expect(jsonLines.length).toBeGreaterThan(0);
    for (const line of jsonLines) expect(() => JSON.parse(line) as unknown).not.toThrow();
    expect(s.secrets.issuedCount()).toBeGreaterThan(0);
    expect(findLeaks(await s.outputs(outputs), s.secrets)).toEqual([]);
  });

  it("the check itself finds a secret wherever it is, raw or URL-encoded", () => {
    const secrets = new SecretSet("REL-KEY-123456789", "REL-TOKEN+/=abcdef");
    secrets.collectFromBody(JSON.stringify({ url: "http://s3/b/k?X-Amz-Signature=abcdef0123456789abcdef&X-Amz-Credential=ASIAEXAMPLE123456%2F20250101%2Fus-east-1%2Fs3%2Faws4_request" }));
    expect(findLeaks({ log: "key REL-KEY-123456789", report: "t=REL-TOKEN%2B%2F%3Dabcdef", err: errorText(new Error("sig abcdef0123456789abcdef")), cred: "ASIAEXAMPLE123456" }, secrets)).toEqual([
      "log: ICA API key",
      "report: BaseSpace token",
      "err: presigned URL X-Amz-Signature",
      "cred: presigned URL X-Amz-Credential",
    ]);
  });
});
