// What the page and the server must agree on, from the one file the server reads too
// (app/src/main/resources/shared-contract.json, loaded there by io.callcenter.web.SharedContract). esbuild inlines
// it into the bundle, so the page never fetches it.
import contract from '../../resources/shared-contract.json';

/** The SIP header that marks the server calling this phone for a call the agent placed: answer it at once. */
export const AUTO_ANSWER_HEADER = contract.autoAnswerHeader;
/** Most live parties of one call, the agent included. */
export const MAX_PARTIES = contract.maxParties;
/** [code, label] in the order the wrap-up list shows them. */
export const DISPOSITIONS = contract.dispositions.map(({ code, label }) => [code, label]);
