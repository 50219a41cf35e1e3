import { findData } from "../../modules/outputs/index.js";
import { chunk, samePath, twoGateLimit, type LinkItemResult } from "../../modules/data-transfer/index.js";
import { addManagedRows, type ManagedRow, type ManagingEntry } from "../../state/index.js";
import type { ActionLog } from "../action-log.js";
import { noteContradiction, stoppedBecause } from "../contradictions.js";
import type { CycleContext } from "../cycle-context.js";
import type { ListedCycle } from "../cycle-facts.js";
import { assessLinking, destinationProblems, recordReadiness, type DestinationFile, type ManifestState } from "../plan/link-progress.js";
import { supersededItems } from "../plan/delivery-policy.js";
import { icaManifestPath } from "../plan/manifest.js";
import { noMgiFastqWarning } from "../plan/fastq-selection.js";
import { heldWarning, leftOutMessage, missingFastqMessage, occupiedPathsMessage, planManageNew, restingItems } from "../plan/plan-manage-new.js";
import { unavailableRedelivery } from "../plan/redelivery.js";
import { selectionFingerprint } from "../plan/resting-holds.js";
import type { StepPlan } from "../plan/plan-types.js";
import { messageOf, type StepRecorder } from "../step-recorder.js";
import { destinationListing, manifestOf, selectCandidates, type Candidate } from "./manage/candidates.js";
import { linkMissing, settleJournaledBatches } from "./manage/link-candidates.js";
import { ensureManifest } from "./manage/manifest-upload.js";
import { nameRedeliveryManifests } from "./manage/redelivery-manifests.js";
import { failureFactOf } from "../failure-facts.js";

/**
 * Step 3: SUCCEEDED BCLConvert analyses not in the managed table get their MGI FASTQs linked into the
 * destination, a manifest uploaded, and a table row — in that order, each stage only for the
 * analyses the previous one completed. Whatever stops short stays in the journal for the next cycle,
 * which then links only the missing files. Pending and failed analyses are reported.
 *
 * The new analyses go in rounds of `manageRoundSize`: each round lists its outputs, selects its
 * FASTQs, links, verifies, uploads its manifests and appends its table rows, then is dropped, so a
 * first cycle on a large backlog holds at most two rounds (the next one links while this one uploads)
 * and a crash takes back at most those. A shutdown request starts no further round.
 */
export async function manageNew(ctx: ListedCycle, rec: StepRecorder): Promise<StepPlan> {
  const found = ctx.newAnalyses;
  rec.count("alreadyManaged", found.alreadyManaged);
  rec.count("new", found.toManage.length);
  rec.count("pending", found.pending.length);
  rec.count("failed", found.failed.length);
  rec.count("withoutMgiFastq", 0); // counted per round
  rec.count("superseded", found.superseded.length);
  rec.count("held", found.resting.length);
  const plan: StepPlan = { step: "manageNew", items: [], warnings: [] };
  const rounds = chunk(found.toManage, ctx.manageRoundSize);
  const select = async (round: readonly NewAnalysis[]): Promise<Candidate[]> => {
    const planned = await planRound(ctx, round, rec);
    plan.items.push(...planned.plan.items);
    plan.warnings.push(...planned.plan.warnings);
    return planned.candidates;
  };
  if (ctx.actions) {
    const recorded = new Set<string>();
    // Set now, so the analyses of the rounds done count as delivered even if a later round fails.
    ctx.delivered = recorded;
    await applyRounds(ctx, ctx.actions, rounds, select, recorded, rec);
  } else {
    // A dry run: the same items, not applied; the analyses it would record count as delivered.
    for (const [done, round] of rounds.entries()) {
      if (shutdownBefore(ctx, rounds.length, done, rec)) break;
      await select(round);
    }
    ctx.delivered = new Set(plan.items.filter((item) => item.action === "record").map((item) => item.target.id));
  }
  const rest = planManageNew({ analyses: [], pending: found.pending, failed: found.failed });
  plan.items.push(...rest.items, ...supersededItems(found.superseded), ...restingItems(found.resting, ctx.journal.data.undeliverable));
  plan.warnings.push(...found.unavailableRedeliveries.map(({ analysisId, why }) => unavailableRedelivery(analysisId, why)));
  for (const { analysisId, why } of found.unavailableRedeliveries) rec.warn(unavailableRedelivery(analysisId, why), { analysisId });
  return plan;
}

type NewAnalysis = ListedCycle["newAnalyses"]["toManage"][number];

/** Whether a shutdown was requested (the cycle's signal) before round `done` of `rounds` starts; says so once. */
function shutdownBefore(ctx: ListedCycle, rounds: number, done: number, rec: StepRecorder): boolean {
  if (!ctx.linkPoll.signal?.aborted) return false;
  rec.warn(`shutdown requested: ${rounds - done} of ${rounds} round(s) of new analyses left for the next cycle`);
  return true;
}

/** One round's FASTQ selection (outputs listed, destination looked at) and its plan items. */
async function planRound(ctx: ListedCycle, round: readonly NewAnalysis[], rec: StepRecorder): Promise<{ plan: StepPlan; candidates: Candidate[] }> {
  const candidates = await selectCandidates(
    ctx,
    round.map(({ analysis, resume, redelivery }) => ({ analysis, resumed: resume !== null, redelivery })),
    rec,
  );
  const runDeliveredAs = new Map(round.flatMap(({ analysis, runDeliveredAs: first }) => (first ? [[analysis.id, first.reference] as const] : [])));
  await nameRedeliveryManifests(ctx, ctx.projects.destination.id, candidates, runDeliveredAs);
  const analyses = candidates.map((c) => ({
    analysis: c.analysis,
    selection: c.selection,
    linkedBefore: c.linkedBefore,
    manifest: manifestState(ctx.journal.data.managing[c.analysis.id]),
    missing: c.missing.map((file) => file.path),
    occupied: c.occupied,
    manifestCsv: c.manifestCsv,
    ...(c.redelivery ? { redelivery: { manifest: c.manifestName, inTable: ctx.managedIds.has(c.analysis.id) } } : {}),
  }));
  const plan = planManageNew({ analyses, pending: [], failed: [] });
  rec.count("withoutMgiFastq", candidates.filter((c) => c.selection.selected.length === 0).length);
  // Alerted on through the apply step (holdUndeliverable), so a dry run only warns.
  for (const input of analyses) {
    const held = heldWarning(input);
    if (held) rec.warn(held.message, { key: held.key, analysisId: input.analysis.id });
  }
  return { plan, candidates };
}

function manifestState(entry: ManagingEntry | undefined): ManifestState {
  if (entry?.manifest?.status === "uploaded") return "available";
  return entry?.manifest ? "partial" : "absent";
}

/** A round selected and linked, waiting for its manifests and table rows. */
interface LinkedRound {
  candidates: Candidate[];
  verified: Verified[];
}

async function applyRounds(
  ctx: ListedCycle,
  actions: ActionLog,
  rounds: ReadonlyArray<readonly NewAnalysis[]>,
  select: (round: readonly NewAnalysis[]) => Promise<Candidate[]>,
  recorded: Set<string>,
  rec: StepRecorder,
): Promise<void> {
  const found = ctx.newAnalyses;
  // In the table already (a crash between the table write and the journal save), or gone from the source.
  found.staleInFlight.forEach(({ analysisId }) => ctx.journal.finishManaging(analysisId));
  // Redelivery requests for nothing the source can deliver: dropped (with a warning).
  found.unavailableRedeliveries.forEach(({ analysisId }) => ctx.journal.finishRedelivery(analysisId));
  // The next round selects and links (and waits for its batches, the one idle stretch of a round)
  // while this one uploads its manifests, so the journal holds at most two rounds of in-flight work.
  const prepare = (round: readonly NewAnalysis[]): Promise<LinkedRound> => {
    const linking = (async () => {
      const candidates = await select(round);
      return { candidates, verified: await linkRound(ctx, actions, candidates, rec) };
    })();
    linking.catch(() => undefined); // awaited below; this only keeps it from counting as unhandled meanwhile
    return linking;
  };
  let linking = rounds[0] && !shutdownBefore(ctx, rounds.length, 0, rec) ? prepare(rounds[0]) : undefined;
  try {
    for (let i = 0; linking; i++) {
      const { candidates, verified } = await linking;
      const next = rounds[i + 1];
      linking = next && !shutdownBefore(ctx, rounds.length, i + 1, rec) ? prepare(next) : undefined;
      const rows = await finishRound(ctx, actions, candidates, verified, rec);
      for (const analysisId of rows) recorded.add(analysisId);
      if (rounds.length > 1) rec.logger.info(`round ${i + 1} of ${rounds.length}: ${rows.length} of ${candidates.length} new analyses recorded`);
    }
  } finally {
    // A round that fails must not leave the next one creating batches and writing the journal after the
    // cycle has ended and released its lock.
    await linking?.catch(() => undefined);
  }
  await ctx.journalWriter.save();
}

/** A round up to its verified links: journal entries, link batches (resumed or new), the destination check. */
async function linkRound(
  ctx: ListedCycle,
  actions: ActionLog,
  round: readonly Candidate[],
  rec: StepRecorder,
): Promise<Verified[]> {
  const destinationId = ctx.projects.destination.id;
  // A redelivery delivers what remains of its selection (holdUndeliverable says what is left out).
  const withFiles = round.filter((c) => c.selection.selected.length > 0 && (c.missing.length === 0 || c.redelivery) && c.occupied.length === 0);
  // Every cycle until the destination is put right (the alert's repeat window spaces them).
  for (const c of round) if (c.occupied.length > 0) rec.error(occupiedPathsMessage(c.analysis, c.occupied));
  const stopped = stoppedBecause(ctx.ledger, "ica-link");
  if (stopped !== undefined) {
    if (withFiles.length > 0) rec.warn(`${withFiles.length} analysis/analyses not linked: ${stopped}`);
    return [];
  }
  for (const c of withFiles) {
    ctx.journal.startManaging(c.analysis.id, c.analysis.reference);
    ctx.journal.recordSelection(c.analysis.id, c.selection.selected);
    // Kept before the manifest exists, so a resumed redelivery uploads under the same name.
    if (c.redelivery) ctx.journal.chooseRedeliveryManifest(c.analysis.id, c.manifestName);
  }
  await ctx.journalWriter.save();

  const settled = await settleJournaledBatches(ctx, destinationId, withFiles.filter((c) => c.resumed));
  for (const [analysisId, reason] of settled.blocked) rec.error(`${referenceOf(round, analysisId)}: not managed yet: ${reason}`);
  if (settled.relist.length > 0) {
    const listed = await destinationListing(ctx, destinationId, settled.relist);
    for (const c of settled.relist) c.linkedBefore = new Set((listed.get(c.analysis.id) ?? []).map((f) => f.id));
  }
  const linkable = withFiles.filter((c) => !settled.blocked.has(c.analysis.id));
  const linked = await linkMissing(ctx, actions, destinationId, linkable);
  if (linked.error !== undefined) rec.error(`linking failed (${linked.error}); the analyses concerned are finished by a later cycle`);
  return verifyDestination(ctx, destinationId, linkable, linked.items, rec);
}

/** The rest of a round: manifests for the verified analyses, then table rows (also for those without MGI FASTQ). */
async function finishRound(
  ctx: ListedCycle,
  actions: ActionLog,
  round: readonly Candidate[],
  linked: readonly Verified[],
  rec: StepRecorder,
): Promise<string[]> {
  const stopped = stoppedBecause(ctx.ledger, "ica-manifest-upload");
  if (stopped !== undefined && linked.length > 0) rec.warn(`${linked.length} manifest(s) not uploaded: ${stopped}`);
  const verified = stopped === undefined ? linked : [];
  const limit = twoGateLimit(ctx.settings.concurrency);
  const progress = ctx.progress.start(rec.logger, "uploading manifests");
  let done = 0;
  const uploaded = await Promise.all(
    verified.map((seen) =>
      limit(async (): Promise<Checked | undefined> => {
        try {
          await ensureManifest(ctx, actions, ctx.projects.destination.id, seen.candidate, rec);
          rec.count("manifestsUploaded");
          return { ...seen, manifest: "available" };
        } catch (error) {
          rec.error(`${seen.candidate.analysis.reference}: manifest not uploaded: ${messageOf(error)}`, failureFactOf(error, seen.candidate.analysis.id));
          return undefined;
        } finally {
          progress.update(++done, verified.length);
        }
      }),
    ),
  );
  if (verified.length > 0) progress.finish(`${uploaded.filter((c) => c !== undefined).length} of ${verified.length} in place`);
  holdUndeliverable(ctx, round, rec);
  return recordManaged(ctx, uploaded.filter((c) => c !== undefined), rec);
}

/**
 * Analyses with nothing to deliver, or whose selected FASTQs vanished, are never recorded by the
 * cycle itself: they are held from archive and delete (deliveryHolds) until an operator runs
 * `mark-managed` or `redeliver`. No FASTQ is a warning (the plan's), alerted once (publishCycle); a
 * vanished FASTQ an error every cycle (the alert's repeat window spaces them): data is missing.
 * A redelivery delivers what remains, each cycle saying what is left out; with nothing at all to
 * deliver its request is dropped (mark-managed is the operator's way then).
 */
function holdUndeliverable(ctx: ListedCycle, round: readonly Candidate[], rec: StepRecorder): void {
  for (const c of round) {
    const { id, reference } = c.analysis;
    if (c.redelivery && c.selection.selected.length === 0) {
      ctx.journal.finishRedelivery(id);
      rec.warn(unavailableRedelivery(id, `${reference} has no MGI FASTQ to deliver; mark-managed ${id} records it without delivery`));
    }
    if (c.redelivery && c.missing.length > 0 && c.selection.selected.length > 0) {
      rec.warn(leftOutMessage(reference, c.missing.map((file) => file.path)));
    } else if (c.missing.length > 0) {
      const detail = missingFastqMessage(c.analysis, c.missing.map((file) => file.path));
      ctx.journal.holdUndeliverable(id, { runId: reference, reason: "missing-fastq", detail });
      rec.count("missingFastq");
      rec.error(detail);
    } else if (c.selection.selected.length === 0) {
      // A warning every cycle; publishCycle alerts the first time (newlyHeld).
      const detail = noMgiFastqWarning(c.analysis, c.selection) ?? "";
      ctx.journal.holdUndeliverable(id, { runId: reference, reason: "no-fastq", detail, selection: selectionFingerprint(ctx.settings) });
      rec.count("held");
    }
  }
}

/** A candidate with what the cycle saw of it in the destination. */
interface Verified {
  candidate: Candidate;
  linkedIds: string[];
  destination: DestinationFile[];
}

/** …and the state of its manifest, for the final check before its table row. */
interface Checked extends Verified {
  manifest: ManifestState;
}

/**
 * The candidates whose every selected file the destination now lists with the right size; the others
 * are reported with what is missing and why, and wait in the journal for the next cycle.
 */
async function verifyDestination(
  ctx: ListedCycle,
  destinationId: string,
  candidates: readonly Candidate[],
  items: ReadonlyMap<string, LinkItemResult[]>,
  rec: StepRecorder,
): Promise<Verified[]> {
  if (candidates.length === 0) return [];
  const listed = await destinationListing(ctx, destinationId, candidates);
  const verified: Verified[] = [];
  for (const c of candidates) {
    const results = items.get(c.analysis.id) ?? [];
    rec.count("filesLinked", results.filter((r) => r.linked).length);
    const outcome = assessLinking(c.selection.selected, c.linkedBefore, results);
    const destination = await withLinksElsewhere(ctx, rec, destinationId, c, outcome.linkedIds, listed.get(c.analysis.id) ?? []);
    const problems = destinationProblems({ selected: c.selection.selected, linkedIds: outcome.linkedIds, destination });
    if (problems.length > 0) {
      const why = outcome.failed.slice(0, 5).map((r) => `${r.dataId} ${r.status}${itemInfo(results, r.dataId)}`);
      rec.count("incomplete");
      rec.error(`${c.analysis.reference}: not managed yet: ${problems.join("; ")}${why.length > 0 ? ` (${why.join(", ")})` : ""}`);
      continue;
    }
    ctx.journal.setStep(c.analysis.id, "manifest");
    verified.push({ candidate: c, linkedIds: outcome.linkedIds, destination });
  }
  await ctx.journalWriter.save();
  return verified;
}

/**
 * The destination listing of a candidate, completed with linked files it lacks under their source
 * folder that a direct lookup finds elsewhere in the destination. ICA does not document that a link
 * keeps its source path (ledger `ica.link-keeps-path`): a file found at another path contradicts it
 * (linking stops until acknowledged), counts as delivered where it is, and the manifest names that path.
 * Costs nothing while every link is where it is looked for.
 */
async function withLinksElsewhere(
  ctx: ListedCycle,
  rec: StepRecorder,
  destinationId: string,
  candidate: Candidate,
  linkedIds: readonly string[],
  listed: DestinationFile[],
): Promise<DestinationFile[]> {
  const seen = new Set(listed.map((file) => file.id));
  const landed = new Map<string, string>();
  const unseen = candidate.selection.selected.filter((file) => linkedIds.includes(file.id) && !seen.has(file.id));
  // The client bounds how many of these run at once.
  const found = await Promise.all(unseen.map((file) => findData(ctx.ica, destinationId, file.id)));
  unseen.forEach((file, i) => {
    const there = found[i];
    if (there === undefined) return;
    listed.push({ id: file.id, sizeBytes: there.sizeBytes });
    if (!samePath(there.path, file.path)) landed.set(file.id, there.path);
  });
  if (landed.size === 0) return listed;
  const [id, path] = [...landed][0] as [string, string];
  noteContradiction(ctx, rec, {
    assumption: "ica.link-keeps-path",
    evidence: `${candidate.analysis.reference}: ${landed.size} linked file(s) are not at their source path in the destination, e.g. ${id} at ${path}`,
  });
  const selected = candidate.selection.selected.map((file) => ({ ...file, path: landed.get(file.id) ?? file.path }));
  candidate.manifestCsv = manifestOf(ctx, candidate.analysis, { selected });
  return listed;
}

function itemInfo(results: readonly LinkItemResult[], dataId: string): string {
  const info = results.find((r) => r.dataId === dataId)?.info;
  return info ? `: ${info}` : "";
}

/**
 * Appends the rows of the analyses that pass the final check (every selected file linked and listed
 * with its size, the manifest read back AVAILABLE) in one atomic table write, then closes their
 * journal entries; the delivery time stays in the journal (min_days_after_delivery).
 */
async function recordManaged(ctx: CycleContext, checked: readonly Checked[], rec: StepRecorder): Promise<string[]> {
  const rows: ManagedRow[] = [];
  for (const { candidate, linkedIds, destination, manifest } of checked) {
    const { analysis, selection } = candidate;
    const readiness = recordReadiness({ selected: selection.selected, linkedIds, destination, manifest });
    if (!readiness.ready) {
      rec.error(`${analysis.reference}: not recorded: ${readiness.problems.join("; ")}`);
      continue;
    }
    rows.push({ analysisId: analysis.id, runId: analysis.reference });
    if (ctx.journal.data.managing[analysis.id]) ctx.journal.setStep(analysis.id, "record");
    // Saved with the step, before the row: a delivered analysis never lacks its delivery time.
    ctx.journal.recordDelivered(analysis.id, analysis.reference);
  }
  if (rows.length === 0) return [];
  await ctx.journalWriter.save();
  try {
    // A redelivered analysis already in the table gets no second row (addManagedRows skips it).
    const added = await addManagedRows(ctx.settings.managedTablePath, rows, { fence: () => ctx.actions?.assertLockHeld() });
    rec.count("recorded", added.length);
  } catch (error) {
    rec.error(`${rows.length} analysis/analyses not recorded: ${messageOf(error)}; the next cycle records them`, failureFactOf(error, "managed-table"));
    return [];
  }
  for (const row of rows) {
    if (ctx.journal.data.managing[row.analysisId]) ctx.journal.finishManaging(row.analysisId);
    const request = ctx.journal.data.redeliveries[row.analysisId];
    if (!request) continue;
    ctx.journal.finishRedelivery(row.analysisId);
    rec.count("redelivered");
    const manifest = request.manifest ?? { runId: row.runId, redelivery: 0 };
    rec.logger.info(`${row.runId}: redelivered (requested ${request.requestedAt}) with manifest ${icaManifestPath(manifest.runId, manifest.redelivery)}`);
  }
  await ctx.journalWriter.save();
  return rows.map((row) => row.analysisId);
}

function referenceOf(candidates: readonly Candidate[], analysisId: string): string {
  return candidates.find((c) => c.analysis.id === analysisId)?.analysis.reference ?? analysisId;
}
