// A real HTTP proxy in front of the simulator's ICA + BaseSpace server. It sees what the client sees:
// it collects the temporary credentials and presigned URLs the API hands out (to search for them in
// the tool's output), can answer one route with a corrupted body, and can hold a request until the
// test lets it through (to keep a cycle inside its lock while a second one starts).
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { SecretSet } from "./secrets.js";

export interface UpstreamAnswer {
  status: number;
  headers: http.OutgoingHttpHeaders;
  body: Buffer;
}

interface Corruption {
  /** Matched against `METHOD /path` (no query string). */
  match: RegExp;
  /** Builds the answer the client gets instead of the simulator's. */
  respond(upstream: UpstreamAnswer): UpstreamAnswer;
}

export interface SeenRequest {
  method: string;
  path: string;
  body: string;
}

export interface Hold {
  /** Resolves when a matching request has arrived (and is being held). */
  arrived: Promise<void>;
  release(): void;
}

export interface ApiProxy {
  url: string;
  readonly requests: SeenRequest[];
  corrupt(corruption: Corruption): void;
  /**
   * Holds the next request matching `match` until release(): before it reaches the simulator, or
   * (`when: "answered"`) after the simulator has done it, so that the client has not heard back yet.
   */
  hold(match: RegExp, when?: "before" | "answered"): Hold;
  close(): Promise<void>;
}

interface PendingHold {
  match: RegExp;
  when: "before" | "answered";
  arrive(): void;
  release(): void;
  released: Promise<void>;
}

const hopByHop = ["connection", "keep-alive", "transfer-encoding", "content-length"];

export async function startApiProxy(target: string, secrets: SecretSet): Promise<ApiProxy> {
  const upstream = new URL(target);
  const agent = new http.Agent({ keepAlive: true });
  const corruptions: Corruption[] = [];
  const holds: PendingHold[] = [];
  const allHolds: PendingHold[] = [];
  const requests: SeenRequest[] = [];

  const forward = (req: http.IncomingMessage, body: Buffer): Promise<UpstreamAnswer> =>
    new Promise((resolve, reject) => {
      const out = http.request(
        { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers, agent },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (chunk: Buffer) => chunks.push(chunk));
          res.on("end", () => resolve({ status: res.statusCode ?? 502, headers: res.headers, body: Buffer.concat(chunks) }));
          res.on("error", reject);
        },
      );
      out.on("error", reject);
      out.end(body);
    });

  const holdIfAsked = async (line: string, when: PendingHold["when"]): Promise<void> => {
    const index = holds.findIndex((h) => h.when === when && h.match.test(line));
    if (index < 0) return;
    const [pending] = holds.splice(index, 1);
    pending?.arrive();
    await pending?.released;
  };

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse, body: Buffer): Promise<void> => {
    const path = (req.url ?? "/").split("?")[0] ?? "/";
    const line = `${req.method ?? "GET"} ${path}`;
    requests.push({ method: req.method ?? "GET", path, body: body.toString("utf8") });
    await holdIfAsked(line, "before");
    let answer: UpstreamAnswer;
    try {
      answer = await forward(req, body);
    } catch {
      // The simulator reset the connection (an injected fault): so does the proxy.
      req.socket.destroy();
      return;
    }
    await holdIfAsked(line, "answered");
    secrets.collectFromBody(answer.body.toString("utf8"));
    const corruption = corruptions.find((c) => c.match.test(line));
    if (corruption) answer = corruption.respond(answer);
    const headers = Object.fromEntries(Object.entries(answer.headers).filter(([name]) => !hopByHop.includes(name.toLowerCase())));
    res.writeHead(answer.status, { ...headers, "content-length": answer.body.length });
    res.end(answer.body);
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => void handle(req, res, Buffer.concat(chunks)).catch(() => res.destroy()));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));

  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    corrupt: (corruption) => corruptions.push(corruption),
    hold(match, when = "before") {
      let arrive = (): void => undefined;
      let release = (): void => undefined;
      const arrived = new Promise<void>((resolve) => (arrive = resolve));
      const released = new Promise<void>((resolve) => (release = resolve));
      const pending = { match, when, arrive, release, released };
      holds.push(pending);
      allHolds.push(pending);
      return { arrived, release };
    },
    close: () =>
      new Promise<void>((resolve) => {
        allHolds.forEach((h) => h.release());
        agent.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
