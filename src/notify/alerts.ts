import { createHash } from "node:crypto";
import { describeContradiction } from "../assumptions/index.js";
import { failureKey } from "./failure-fact.js";
import type { NotificationInput, WaitingItem, WaitingKind } from "./notification-input.js";

const HOUR_MS = 3_600_000;

export interface AlertThresholds {
  /** Linking, unarchive→delete and restore waits (restores get their documented 48 h on top). */
  stuckHours: number;
  /** Analyses not finished. */
  pendingDays: number;
}

/** BaseSpace documents restores as taking up to 48 h; only a wait beyond that is news. */
const basespaceRestoreHours = 48;

export interface Alert {
  /** What the rate limit remembers: the same key is not sent again within notify_repeat_hours. */
  key: string;
  kind: "error" | "stuck" | "recovered" | "person" | "held" | "contradiction";
  text: string;
}

function thresholdMs(kind: WaitingKind, t: AlertThresholds): number {
  switch (kind) {
    case "analysis":
      return t.pendingDays * 24 * HOUR_MS;
    case "basespace-restore":
      return (t.stuckHours + basespaceRestoreHours) * HOUR_MS;
    case "managing":
    case "ica-delete":
      return t.stuckHours * HOUR_MS;
  }
}

/**
 * `26 h` below two days, `3.2 d` from there.
 * @internal exported for the tests
 */
export function formatWaited(ms: number): string {
  const hours = ms / HOUR_MS;
  return hours < 48 ? `${Math.floor(hours)} h` : `${(Math.floor((hours / 24) * 10) / 10).toFixed(1)} d`;
}

function isStuck(item: WaitingItem, t: AlertThresholds, now: Date): boolean {
  return now.getTime() - Date.parse(item.since) >= thresholdMs(item.kind, t);
}

/**
 * The key of an error the code reported without saying what failed (see FailureFact). It ignores
 * request ids, timestamps and standalone numbers ("3 of 10 items failed" and "4 of 10 items failed" are
 * one recurring problem) but not ids (`b-7`, `fil.12ab`), so different items stay different alerts;
 * and it is a hash, because the key is stored and an error message may quote anything.
 * @internal exported for the tests
 */
export function errorKey(pair: string, text: string): string {
  const normalised = text
    .replace(/\[request id [^\]]*\]/g, "[request id]")
    .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:?\d\d)?/g, "<time>")
    .replace(/(?<![\w.-])\d+(?:\.\d+)?(?![\w.-])/g, "#");
  return `error:${pair}:${createHash("sha256").update(normalised).digest("hex").slice(0, 24)}`;
}

/** The alert of each error: keyed on kind, route and object when known, else on the normalised text. */
function errorAlerts(input: NotificationInput, pair: string): Alert[] {
  const facts = new Map((input.failures ?? []).map((f) => [f.message, f]));
  return input.errors.map((text): Alert => {
    const fact = facts.get(text);
    return { key: fact?.kind !== undefined ? failureKey(pair, { ...fact, kind: fact.kind }) : errorKey(pair, text), kind: "error", text };
  });
}

/** The key prefix of every error alert of one source/destination pair: what a recovery is looked for under. */
export const errorKeyPrefix = (input: Pick<NotificationInput, "source" | "destination" | "pair">): string => `error:${pairOf(input)}:`;

const pairOf = (input: Pick<NotificationInput, "source" | "destination" | "pair">): string => input.pair ?? `${input.source.id}>${input.destination.id}`;

/** The alerts of one cycle: each error, and each waiting item past its threshold. */
export function collectAlerts(input: NotificationInput, thresholds: AlertThresholds, now: Date): Alert[] {
  const pair = pairOf(input);
  const errors = errorAlerts(input, pair);
  const stuck = input.waiting
    .filter((item) => isStuck(item, thresholds, now))
    .map((item): Alert => ({
      key: `stuck:${item.kind}:${item.id}`,
      kind: "stuck",
      text: `${item.label}, for ${formatWaited(now.getTime() - Date.parse(item.since))}`,
    }));
  // A person's decision and a newly held analysis are news once: only those first seen in this cycle are in the input.
  const notices = (kind: "person" | "held", texts: readonly string[] = []): Alert[] =>
    texts.map((text) => ({ key: `${kind}:${pair}:${errorKey(pair, text).slice(-24)}`, kind, text }));
  // Keyed on the assumption: the same entry is one problem whatever item it was seen on.
  const contradicted = (input.contradictions ?? []).map((c): Alert => ({
    key: `contradiction:${pair}:${c.assumption}`,
    kind: "contradiction",
    text: `${describeContradiction(c)}; its actions are stopped until \`ica-orchestrator ack ${c.assumption}\``,
  }));
  return [...contradicted, ...errors, ...stuck, ...notices("person", input.personDecisions), ...notices("held", input.held)];
}

/**
 * After a cycle without errors, each error alert this pair sent earlier is announced as recovered —
 * once: the caller forgets its key once the message went out. Only an error-free cycle says so, because
 * a step that was skipped cannot tell whether its failure is gone.
 */
export function recoveryAlerts(input: NotificationInput, alertedKeys: readonly string[]): Alert[] {
  if (input.outcome !== "ok") return [];
  const prefix = errorKeyPrefix(input);
  return alertedKeys
    .filter((key) => key.startsWith(prefix))
    .map((key): Alert => ({ key, kind: "recovered", text: `no longer failing: ${describeKey(key.slice(prefix.length))}` }));
}

/** `AuthError:ica GET /api/projects:-` → `AuthError on ica GET /api/projects`; a text hash says only that it was an earlier error. */
function describeKey(rest: string): string {
  if (/^[0-9a-f]{24}$/.test(rest)) return "an earlier error (see the earlier alert)";
  const [kind = "", ...others] = rest.split(":");
  const object = others.pop() ?? "-";
  const route = others.join(":");
  return [kind, route !== "-" ? `on ${route}` : "", object !== "-" ? `for ${object}` : ""].filter(Boolean).join(" ");
}
