import http from "node:http";
import type { AddressInfo } from "node:net";

export interface Exchange {
  method: string;
  /** Path and query as sent. */
  url: string;
  requestHeaders: http.IncomingHttpHeaders;
  requestBody: Buffer;
  status: number;
  responseHeaders: http.IncomingHttpHeaders;
  responseBody: Buffer;
}

export interface RecordingProxy {
  url: string;
  exchanges: Exchange[];
  /** Highest number of requests in flight at once, measured here, outside the client. */
  maxInFlight: number;
  close(): Promise<void>;
}

/**
 * A real HTTP proxy in front of the simulator: forwards every request unchanged and records it. It
 * measures concurrency and media types independently of the client code under test.
 */
export async function startRecordingProxy(target: string): Promise<RecordingProxy> {
  const upstream = new URL(target);
  let inFlight = 0;
  const proxy: RecordingProxy = { url: "", exchanges: [], maxInFlight: 0, close: async () => undefined };
  const agent = new http.Agent({ keepAlive: true });
  const server = http.createServer((req, res) => {
    inFlight += 1;
    proxy.maxInFlight = Math.max(proxy.maxInFlight, inFlight);
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const requestBody = Buffer.concat(chunks);
      const out = http.request(
        { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers, agent },
        (up) => {
          const body: Buffer[] = [];
          up.on("data", (c: Buffer) => body.push(c));
          up.on("end", () => {
            const responseBody = Buffer.concat(body);
            proxy.exchanges.push({
              method: req.method ?? "",
              url: req.url ?? "",
              requestHeaders: req.headers,
              requestBody,
              status: up.statusCode ?? 0,
              responseHeaders: up.headers,
              responseBody,
            });
            inFlight -= 1;
            res.writeHead(up.statusCode ?? 502, up.headers);
            res.end(responseBody);
          });
        },
      );
      out.on("error", () => {
        inFlight -= 1;
        res.destroy();
      });
      out.end(requestBody);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  proxy.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  proxy.close = () =>
    new Promise<void>((resolve) => {
      agent.destroy();
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return proxy;
}
