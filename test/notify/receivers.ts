// Real local receivers for notification tests: an HTTP webhook and an SMTP server, both on 127.0.0.1:0.
import http from "node:http";
import { createServer as createNetServer, type AddressInfo, type Socket } from "node:net";
import { SMTPServer } from "smtp-server";

export interface WebhookReceiver {
  /** Includes a Slack-like token path, a secret the tests look for in logs. */
  url: string;
  posts: { path: string; contentType: string | undefined; body: unknown }[];
  /** Status to answer with; 200 unless a test changes it. */
  status: number;
  close(): Promise<void>;
}

export const webhookPath = "/services/T0ORCH/B0ORCH/webhookTokenDoNotLeak42";

export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const receiver: Omit<WebhookReceiver, "url" | "close"> = { posts: [], status: 200 };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      receiver.posts.push({ path: req.url ?? "", contentType: req.headers["content-type"], body: JSON.parse(Buffer.concat(chunks).toString("utf8")) });
      res.writeHead(receiver.status, { "content-type": "text/plain" });
      res.end(receiver.status === 200 ? "ok" : "invalid_token");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(receiver, {
    url: `http://127.0.0.1:${port}${webhookPath}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}

interface ReceivedMail {
  from: string;
  to: string[];
  user: string | undefined;
  raw: string;
  /** Decoded `Subject:` header. */
  subject: string;
  /** Decoded body (quoted-printable undone). */
  text: string;
}

const quotedPrintable = (text: string): string =>
  Buffer.from(text.replace(/=\r?\n/g, "").replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16))), "latin1").toString("utf8");

/** Just enough MIME for the plain-text mails nodemailer writes: folded headers, Q-encoded words, a QP body. */
function decodeMail(raw: string): { subject: string; text: string } {
  const [head = "", ...body] = raw.split(/\r?\n\r?\n/);
  const subjectLine = /^Subject: (.*(?:\r?\n[ \t].*)*)/m.exec(head)?.[1] ?? "";
  const subject = subjectLine
    .replace(/\?=\s+=\?/g, "?==?")
    .replace(/=\?UTF-8\?Q\?(.*?)\?=/gi, (_, word: string) => quotedPrintable(word.replace(/_/g, " ")));
  const text = /quoted-printable/i.test(head) ? quotedPrintable(body.join("\n\n")) : body.join("\n\n");
  return { subject, text: text.replace(/\r\n/g, "\n") };
}

export interface SmtpReceiver {
  url: string;
  mails: ReceivedMail[];
  close(): Promise<void>;
}

export const smtpUser = "alerts";
export const smtpPassword = "smtp-Pa55word-DoNotLeak";

/** Plain SMTP with AUTH PLAIN/LOGIN (no TLS: it is loopback only); wrong credentials are refused with 535. */
export async function startSmtpReceiver(): Promise<SmtpReceiver> {
  const mails: ReceivedMail[] = [];
  const server = new SMTPServer({
    disabledCommands: ["STARTTLS"],
    allowInsecureAuth: true,
    authMethods: ["PLAIN", "LOGIN"],
    onAuth(auth, _session, callback) {
      if (auth.username === smtpUser && auth.password === smtpPassword) callback(null, { user: auth.username });
      else callback(new Error("Invalid username or password"));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        const raw = Buffer.concat(chunks).toString("utf8");
        mails.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
          to: session.envelope.rcptTo.map((r) => r.address),
          user: typeof session.user === "string" ? session.user : undefined,
          raw,
          ...decodeMail(raw),
        });
        callback();
      });
    },
  });
  server.on("error", () => undefined);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://${smtpUser}:${encodeURIComponent(smtpPassword)}@127.0.0.1:${port}`,
    mails,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export interface TricklingReceiver {
  url: string;
  /** Whether the message was received and the trickle has begun. */
  trickling(): boolean;
  /** Connections still open: a send that gave up must not leave its socket behind. */
  openConnections(): number;
  close(): Promise<void>;
}

const trickleEveryMs = 100;

/**
 * An SMTP server that takes the message, then never finishes its answer: a `250-` continuation line
 * every 100 ms keeps every idle timeout of the client from firing.
 */
export async function startTricklingSmtpServer(): Promise<TricklingReceiver> {
  const sockets = new Set<Socket>();
  let trickling = false;
  const server = createNetServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => undefined);
    let timer: NodeJS.Timeout | undefined;
    socket.on("close", () => clearInterval(timer));
    let inData = false;
    let buffered = "";
    socket.write("220 trickle ESMTP\r\n");
    socket.on("data", (chunk: Buffer) => {
      buffered += chunk.toString("latin1");
      if (inData) {
        if (!buffered.includes("\r\n.\r\n")) return;
        inData = false;
        trickling = true;
        timer = setInterval(() => socket.write("250-still queueing\r\n"), trickleEveryMs);
        return;
      }
      let end: number;
      while ((end = buffered.indexOf("\r\n")) >= 0) {
        const line = buffered.slice(0, end).toUpperCase();
        buffered = buffered.slice(end + 2);
        if (line.startsWith("EHLO") || line.startsWith("HELO")) socket.write("250 trickle\r\n");
        else if (line.startsWith("DATA")) {
          inData = true;
          socket.write("354 go on\r\n");
          return;
        } else socket.write("250 ok\r\n");
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    trickling: () => trickling,
    openConnections: () => sockets.size,
    close: () =>
      new Promise<void>((resolve) => {
        sockets.forEach((socket) => socket.destroy());
        server.close(() => resolve());
      }),
  };
}

/** A webhook that answers 200 at once, then sends its body a byte every 100 ms, forever. */
export async function startTricklingWebhook(): Promise<TricklingReceiver> {
  let trickling = false;
  const server = http.createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      trickling = true;
      res.writeHead(200, { "content-type": "text/plain" });
      const timer = setInterval(() => res.write("."), trickleEveryMs);
      res.on("close", () => clearInterval(timer));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  let open = 0;
  server.on("connection", (socket: Socket) => {
    open += 1;
    socket.on("close", () => (open -= 1));
  });
  return {
    url: `http://127.0.0.1:${port}${webhookPath}`,
    trickling: () => trickling,
    openConnections: () => open,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
