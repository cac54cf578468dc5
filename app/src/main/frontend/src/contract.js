// What the page and the server must agree on, from the one file the server reads too
// (app/src/main/resources/shared-contract.json, loaded there by io.callcenter.web.SharedContract). esbuild inlines
// it into the bundle, so the page never fetches it.
import contract from '../../resources/shared-contract.json';

/** The SIP header that marks the server calling this phone for a call the agent placed: answer it at once. */
export const AUTO_ANSWER_HEADER = contract.autoAnswerHeader;
/** Most live parties of one call, the agent included. */
export const MAX_PARTIES = contract.maxParties;
/** Every [code, label], for showing any call's outcome (the system sets some, e.g. ABANDONED). */
export const DISPOSITIONS = contract.dispositions.map(({ code, label }) => [code, label]);
/** [code, label] an agent may choose in wrap-up, in the order the list shows them (the server refuses the rest). */
export const SELECTABLE_DISPOSITIONS = contract.dispositions
  .filter(({ agentSelectable }) => agentSelectable)
  .map(({ code, label }) => [code, label]);
