import { eq } from "drizzle-orm";
import { isStaff } from "../../../protocol/roles";
import { attachments, calls } from "../../db/schema";
import { conflict, forbidden, notFound } from "../../lib/errors";
import type { Scope } from "../../lib/scope";
import { recordActivity } from "../audit/record-activity";
import { tenantSettings } from "../settings/tenant-settings";
import { announceCall } from "./call.events";
import { presentCall } from "./call.presenter";
import { type CallRow, loadCall, type Viewer } from "./call-row";

/** How long after hang-up the agent's browser may still upload: it stops the recorder, then sends the file. */
export const recordingGraceMs = 10 * 60 * 1000;

/** The call, locked, if the viewer is its agent and the tenant records calls: 404 when unseen, otherwise 403. */
async function agentsCall(scope: Scope, viewer: Viewer, id: string) {
  const call = await loadCall(scope, viewer, id, { forUpdate: true });
  if (call.agentId !== viewer.id) throw forbidden("Only the call's agent can record it.");
  const settings = await tenantSettings(scope);
  if (!settings.recordingEnabled) throw forbidden("This workspace does not record calls.");
  return { call, settings };
}

/**
 * The agent tells the customer the call will be recorded: the customer's screen shows it (`call:updated` carries
 * `recordingNoticeAt`), and only then may recording start. Giving it twice changes nothing.
 */
export async function giveRecordingNotice(scope: Scope, viewer: Viewer, id: string) {
  const { call } = await agentsCall(scope, viewer, id);
  if (call.status !== "active") throw conflict("The customer can be told only while the call is going on.");
  if (call.recordingNoticeAt) return presentCall(scope, call);
  const now = new Date();
  const [after] = await scope.tx
    .update(calls)
    .set({ recordingNoticeAt: now, updatedAt: now })
    .where(eq(calls.id, call.id))
    .returning();
  await recordActivity(scope, {
    action: "call.recording_notice",
    subjectType: "call",
    subjectId: call.id,
    newValue: { recordingNoticeAt: now.toISOString() },
  });
  return announceCall(scope, after!);
}

/**
 * The call if its agent may upload its recording now: recording on, the call going on or ended within the grace
 * period, the customer told while it was going on, and no recording yet. Returns the size limit too, so the
 * upload is refused before its body is read. Checked again, under the row lock, when the file is linked.
 */
export async function recordableCall(scope: Scope, viewer: Viewer, id: string, now = new Date()) {
  const { call, settings } = await agentsCall(scope, viewer, id);
  const ended = call.status !== "active";
  if (ended && (call.status !== "completed" || !call.endedAt)) {
    throw conflict("Only a call that was answered can be recorded.");
  }
  if (ended && now.getTime() - call.endedAt!.getTime() > recordingGraceMs) {
    throw conflict("The call ended too long ago to upload its recording.");
  }
  if (!call.recordingNoticeAt || (call.endedAt && call.recordingNoticeAt > call.endedAt)) {
    throw conflict("Tell the customer the call is recorded before recording it.", { reason: "no_notice" });
  }
  if (call.recordingId)
    throw conflict("This call already has its recording.", { reason: "already_recorded" });
  return { call, maxBytes: settings.maxUploadMb * 1024 * 1024 };
}

/** Links the stored file (created in this same transaction) to its call, audited without its content. */
export async function linkRecording(
  scope: Scope,
  call: CallRow,
  file: { id: string; mime: string; size: number },
) {
  // The file is the call's alone: without an uploader it is no loose upload, which its uploader could fetch at
  // /uploads/:id or attach to a chat message. The audit trail still says who uploaded it.
  await scope.tx.update(attachments).set({ uploaderId: null }).where(eq(attachments.id, file.id));
  const [after] = await scope.tx
    .update(calls)
    .set({ recordingId: file.id, updatedAt: new Date() })
    .where(eq(calls.id, call.id))
    .returning();
  await recordActivity(scope, {
    action: "call.recorded",
    subjectType: "call",
    subjectId: call.id,
    newValue: { recordingId: file.id, mime: file.mime, size: file.size },
  });
  return announceCall(scope, after!);
}

/**
 * The recording's stored file, for staff who may see the call (its agent, team leads and above). A customer
 * is refused even on their own call; a call without a recording, or unseen, is 404.
 */
export async function loadRecording(scope: Scope, viewer: Viewer, id: string) {
  if (!isStaff(viewer.role)) throw forbidden("Call recordings are for staff.");
  const call = await loadCall(scope, viewer, id);
  if (!call.recordingId) throw notFound("recording");
  const [file] = await scope.tx.select().from(attachments).where(eq(attachments.id, call.recordingId));
  if (!file) throw notFound("recording");
  return file;
}
