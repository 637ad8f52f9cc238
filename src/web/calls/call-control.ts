import { createContext, useContext } from "react";
import type { Call } from "../../protocol/call";

/**
 * What console pages may do with calls, given by the staff member's call dock (StaffCallsProvider): answer a
 * waiting call (from its toast or the call queue; the microphone and the audio start there), and know the call
 * they are on. Null where the person does not answer calls.
 */
export interface CallControl {
  /** Answers the call: opens the microphone, takes the call (409 if someone was quicker) and starts the audio. */
  answer(callId: string): Promise<void>;
  /** The call this person is on now (waiting for audio or talking), if any. */
  current: Call | null;
}

export const CallControlContext = createContext<CallControl | null>(null);

export const useCallControl = (): CallControl | null => useContext(CallControlContext);
