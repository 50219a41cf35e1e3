import { describe, expect, it } from "vitest";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { describeSkew, measureClockSkew } from "../../src/cli/doctor/clock-skew.js";

async function serve(date: string | undefined): Promise<{ url: string; server: Server }> {
  const server = createServer((_, res) => {
    res.sendDate = false;
    if (date !== undefined) res.setHeader("Date", date);
    res.writeHead(401).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, server };
}

describe("doctor clock check", () => {
  it("measures the local clock against the Date header of any answer (a 401 will do)", async () => {
    const { url, server } = await serve("Sun, 01 Jun 2025 10:00:00 GMT");
    try {
      const skew = await measureClockSkew(url, { now: () => Date.parse("2025-06-01T10:07:00.500Z") });
      expect(skew).toEqual({ skewMs: 7 * 60_000, serverDate: "2025-06-01T10:00:00.000Z" });
    } finally {
      server.close();
    }
  });

  it("returns nothing when the server sends no usable Date header", async () => {
    for (const date of [undefined, "yesterday-ish"]) {
      const { url, server } = await serve(date);
      try {
        expect(await measureClockSkew(url)).toBeUndefined();
      } finally {
        server.close();
      }
    }
  });

  it("describes the difference for people", () => {
    expect(describeSkew(400)).toBe("within a second");
    expect(describeSkew(90_400)).toBe("90 s ahead of");
    expect(describeSkew(-3_000)).toBe("3 s behind");
  });
});
