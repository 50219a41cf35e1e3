import { createHash } from "node:crypto";
import type { NotificationInput, WaitingItem, WaitingKind } from "./notification-input.js";

const HOUR_MS = 3_600_000;

export interface AlertThresholds {
  /** Linking, unarchive→delete and restore waits (restores get their documented 48 h on top). */
  stuckHours: number;
  /** Analyses not finished. */
  pendingDays: number;
}

/** BaseSpace documents restores as taking up to 48 h; only a wait beyond that is news. */
export const basespaceRestoreHours = 48;

export interface Alert {
  /** What the rate limit remembers: the same key is not sent again within notify_repeat_hours. */
  key: string;
  kind: "error" | "stuck" | "person";
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

/** `26 h` below two days, `3.2 d` from there. */
export function formatWaited(ms: number): string {
  const hours = ms / HOUR_MS;
  return hours < 48 ? `${Math.floor(hours)} h` : `${(Math.floor((hours / 24) * 10) / 10).toFixed(1)} d`;
}

export function isStuck(item: WaitingItem, t: AlertThresholds, now: Date): boolean {
  return now.getTime() - Date.parse(item.since) >= thresholdMs(item.kind, t);
}

/**
 * The key of an error alert. It ignores standalone numbers ("3 of 10 items failed" and "4 of 10 items
 * failed" are one recurring problem) but not ids (`b-7`, `fil.12ab`), so different items stay different
 * alerts; and it is a hash, because the key is stored and an error message may quote anything.
 */
export function errorKey(pair: string, text: string): string {
  const normalised = text.replace(/(?<![\w.-])\d+(?:\.\d+)?(?![\w.-])/g, "#");
  return `error:${pair}:${createHash("sha256").update(normalised).digest("hex").slice(0, 24)}`;
}

/** The alerts of one cycle: each error, and each waiting item past its threshold. */
export function collectAlerts(input: NotificationInput, thresholds: AlertThresholds, now: Date): Alert[] {
  const pair = `${input.source.id}>${input.destination.id}`;
  const errors = input.errors.map((text): Alert => ({ key: errorKey(pair, text), kind: "error", text }));
  const stuck = input.waiting
    .filter((item) => isStuck(item, thresholds, now))
    .map((item): Alert => ({
      key: `stuck:${item.kind}:${item.id}`,
      kind: "stuck",
      text: `${item.label}, for ${formatWaited(now.getTime() - Date.parse(item.since))}`,
    }));
  // A person's decision is news once: only those first seen in this cycle are in the input.
  const people = (input.personDecisions ?? []).map((text): Alert => ({ key: `person:${pair}:${errorKey(pair, text).slice(-24)}`, kind: "person", text }));
  return [...errors, ...stuck, ...people];
}
