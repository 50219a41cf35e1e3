import { describe, expect, it } from "vitest";
import {
  collectAlerts,
  errorKey,
  recoveryAlerts,
  formatWaited,
  isDigestDue,
  lastDigestTime,
  renderMessage,
  waitingItems,
  type NotificationInput,
  type WaitingItem,
} from "../../src/notify/index.js";
import { emptyJournal } from "../../src/state/journal-schema.js";

const now = new Date("2025-06-10T12:00:00Z");
const hoursAgo = (h: number): string => new Date(now.getTime() - h * 3_600_000).toISOString();
const thresholds = { stuckHours: 24, pendingDays: 3 };

const input = (waiting: WaitingItem[], errors: string[] = []): NotificationInput => ({
  cycleId: "c-1",
  outcome: errors.length > 0 ? "failures" : "ok",
  dryRun: false,
  finishedAt: now.toISOString(),
  source: { id: "s", name: "src" },
  destination: { id: "d", name: "" },
  errors,
  counts: {},
  waiting,
});

describe("notify/waitingItems", () => {
  it("lists unfinished analyses and the journal's managing, unarchive→delete and restore entries", () => {
    const journal = emptyJournal();
    journal.managing.a1 = { step: "verify", linkBatchIds: ["b"], linkedDataIds: [], startedAt: hoursAgo(5), updatedAt: hoursAgo(1) };
    journal.pendingIcaDeletes["fol.1"] = { projectId: "p", path: "/ilmn-analyses/x/", unarchiveRequestedAt: hoursAgo(7) };
    journal.basespaceRestores["ds.1"] = { kind: "dataset", requestedAt: hoursAgo(9) };
    expect(waitingItems(journal, [{ id: "a9", reference: "ref9", status: "QUEUED", timeCreated: hoursAgo(2) }])).toEqual([
      { kind: "analysis", id: "a9", label: "analysis ref9 is still QUEUED", since: hoursAgo(2) },
      { kind: "managing", id: "a1", label: "managing a1 is at step verify", since: hoursAgo(5) },
      { kind: "ica-delete", id: "fol.1", label: "ICA data /ilmn-analyses/x/ was asked to unarchive so it can be deleted, and is not available yet", since: hoursAgo(7) },
      { kind: "basespace-restore", id: "ds.1", label: "BaseSpace dataset ds.1 was asked to restore and is still archived", since: hoursAgo(9) },
    ]);
  });
});

describe("notify: error alerts deduplicate on what failed, not on the message", () => {
  const failing = (requestId: string, count: number, at: string): NotificationInput => {
    const message = `[basespaceLifecycle] archive of ${count} BaseSpace item(s) failed: BaseSpace GET /v2/datasets/{id} failed with HTTP 503 [request id ${requestId}] at ${at}`;
    return {
      ...input([], [message]),
      failures: [{ message, kind: "ServerError", route: "basespace GET /v2/datasets/{id}", object: "archive" }],
    };
  };
  const keys = (i: NotificationInput) => collectAlerts(i, thresholds, now).map((a) => a.key);

  it("gives one key across cycles whose messages differ in request id, time and count", () => {
    const first = keys(failing("req-1", 3, hoursAgo(1)));
    expect(first).toEqual(["error:s>d:ServerError:basespace GET /v2/datasets/{id}:archive"]);
    expect(keys(failing("req-2", 4, hoursAgo(0)))).toEqual(first);
    expect(keys({ ...failing("req-3", 3, hoursAgo(0)), pair: "name:src>name:dst" })).toEqual(["error:name:src>name:dst:ServerError:basespace GET /v2/datasets/{id}:archive"]);
  });

  it("tells another route, kind or object apart", () => {
    const base = failing("r", 1, hoursAgo(1));
    const other = (change: object) => keys({ ...base, failures: [{ ...base.failures![0]!, ...change }] });
    expect(new Set([keys(base)[0], other({ route: "basespace GET /v2/runs/{id}" })[0], other({ kind: "AuthError" })[0], other({ object: "restore" })[0]]).size).toBe(4);
  });

  it("keys an error reported without its fields by the text without request ids and timestamps", () => {
    const text = (id: string, at: string) => `x failed [request id ${id}] at ${at}`;
    expect(errorKey("p", text("a-1", hoursAgo(1)))).toBe(errorKey("p", text("b-2", hoursAgo(0))));
    expect(errorKey("p", "fil.1 failed")).not.toBe(errorKey("p", "fil.2 failed"));
  });

  it("announces each alerted failure as recovered after an error-free cycle, not while others fail", () => {
    const sent = ["error:s>d:AuthError:ica GET /api/projects:resolve", "error:s>d:0123456789abcdef01234567", "error:other>d:AuthError:-:-", "stuck:analysis:a1"];
    expect(recoveryAlerts(input([]), sent)).toEqual([
      { key: sent[0], kind: "recovered", text: "no longer failing: AuthError on ica GET /api/projects for resolve" },
      { key: sent[1], kind: "recovered", text: "no longer failing: an earlier error (see the earlier alert)" },
    ]);
    expect(recoveryAlerts(input([], ["still broken"]), sent)).toEqual([]);
  });
});

describe("notify/collectAlerts", () => {
  it("alerts on each kind only past its threshold; restores get their documented 48 h on top", () => {
    const item = (kind: WaitingItem["kind"], hours: number): WaitingItem => ({ kind, id: `${kind}-${hours}`, label: kind, since: hoursAgo(hours) });
    const alerts = collectAlerts(
      input([
        item("analysis", 71),
        item("analysis", 72),
        item("managing", 23),
        item("managing", 24),
        item("ica-delete", 30),
        item("basespace-restore", 71),
        item("basespace-restore", 72),
      ]),
      thresholds,
      now,
    );
    expect(alerts.map((a) => [a.key, a.text])).toEqual([
      ["stuck:analysis:analysis-72", "analysis, for 3.0 d"],
      ["stuck:managing:managing-24", "managing, for 24 h"],
      ["stuck:ica-delete:ica-delete-30", "ica-delete, for 30 h"],
      ["stuck:basespace-restore:basespace-restore-72", "basespace-restore, for 3.0 d"],
    ]);
  });

  it("formats waits in hours below two days, in days (truncated) from there", () => {
    expect([formatWaited(3_600_000 * 47.9), formatWaited(3_600_000 * 48), formatWaited(3_600_000 * 24 * 9.99)]).toEqual(["47 h", "2.0 d", "9.9 d"]);
  });
});

describe("notify/digest", () => {
  it("is due once per day, from the digest hour (local time) on", () => {
    const at = (day: number, hour: number, minute = 0) => new Date(2025, 5, day, hour, minute);
    expect(lastDigestTime(8, at(10, 7, 59))).toEqual(at(9, 8));
    expect(lastDigestTime(8, at(10, 8))).toEqual(at(10, 8));
    expect(lastDigestTime(0, new Date(2025, 0, 1, 0, 0))).toEqual(new Date(2025, 0, 1, 0));
    expect(isDigestDue(null, undefined, at(10, 9))).toBe(false);
    expect(isDigestDue(8, undefined, at(10, 9))).toBe(true);
    expect(isDigestDue(8, at(10, 8, 1), at(10, 23))).toBe(false);
    expect(isDigestDue(8, at(10, 7), at(10, 8))).toBe(true);
  });
});

describe("notify/renderMessage", () => {
  it("lists at most 20 items per section and names projects by id when they have no name", () => {
    const errors = Array.from({ length: 23 }, (_, i) => `error ${i}`);
    const alerts = errors.map((text) => ({ key: text, kind: "error" as const, text }));
    const message = renderMessage(input([], errors), alerts, false);
    expect(message.subject).toBe("[ica-orchestrator] src → d: 23 errors");
    const lines = message.text.split("\n");
    expect(lines.filter((l) => l.startsWith("• "))).toHaveLength(21);
    expect(lines).toContain("Errors (23):");
    expect(lines.at(-1)).toBe("• … and 3 more (see the report)");
  });
});

describe("notify: a contradicted assumption", () => {
  const contradiction = { assumption: "ica.folder-status", evidence: "output folder /x/ says AVAILABLE while its files say ARCHIVED" };

  it("is alerted keyed on the assumption, whatever the evidence, with the ack that lifts its stop; no recovery follows", () => {
    const alerts = (evidence: string) => collectAlerts({ ...input([]), contradictions: [{ ...contradiction, evidence }] }, thresholds, now);
    const [alert] = alerts(contradiction.evidence);
    expect(alert).toEqual({
      key: "contradiction:s>d:ica.folder-status",
      kind: "contradiction",
      text: expect.stringContaining("`ica-orchestrator ack ica.folder-status`") as string,
    });
    expect(alerts("output folder /y/ says AVAILABLE").map((a) => a.key)).toEqual([alert?.key]);
    expect(recoveryAlerts(input([]), [alert?.key ?? ""])).toEqual([]);
    const message = renderMessage(input([]), alerts(contradiction.evidence), false);
    expect(message.subject).toContain("1 assumption contradicted");
    expect(message.text).toContain("Contradicted assumptions (1):");
  });
});
