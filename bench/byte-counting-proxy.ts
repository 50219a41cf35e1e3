import { connect, createServer, type Socket } from "node:net";

export interface ByteCountingProxy {
  /** Where to send the requests meant for the target (`http://127.0.0.1:<port>`). */
  readonly url: string;
  /** Bytes the target sent back (bodies and headers) so far. */
  received(): number;
  close(): Promise<void>;
}

/**
 * A TCP relay on 127.0.0.1 (port 0) to `target` (`http://host:port`) that counts what the target sends
 * back: how many bytes a client fetched, which the simulator's stats (requests per route) do not say.
 * With `bytesPerSecond`, each connection's answers are held to that rate, like a slower network: a
 * download then takes long enough to be killed part-way through its parts.
 */
export async function startByteCountingProxy(target: string, options: { bytesPerSecond?: number } = {}): Promise<ByteCountingProxy> {
  const { hostname, port } = new URL(target);
  let received = 0;
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = connect(Number(port), hostname);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on("close", () => sockets.delete(socket));
      // Either side gone (a killed client, a stopped simulator) ends the other.
      socket.on("error", () => undefined);
      socket.on("close", () => {
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream);
    // Backpressure: bytes are read from the target only as fast as the client takes them, so the count
    // is not ahead of what the client received by more than the sockets' buffers.
    let waits = 0;
    const wait = () => {
      waits += 1;
      upstream.pause();
    };
    const done = () => {
      waits -= 1;
      if (waits === 0) upstream.resume();
    };
    client.on("drain", done);
    upstream.on("data", (chunk: Buffer) => {
      received += chunk.length;
      if (!client.write(chunk)) wait();
      if (options.bytesPerSecond === undefined) return;
      wait();
      setTimeout(done, (chunk.length / options.bytesPerSecond) * 1000).unref();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("the byte-counting proxy has no TCP address");
  return {
    url: `http://127.0.0.1:${address.port}`,
    received: () => received,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
