/**
 * The hidden input that names the resource a `PartnerCustomer` create belongs to: `<project>/<stack>/<name>`.
 *
 * Why: the create's `MS-RequestId` is derived from its inputs so that a re-run replays instead of creating twice. Two
 * stacks (or two resources) with identical inputs would then share a request ID, and one could be handed the other's
 * customer — and its admin password — by Partner Center's replay. Mixing the resource's identity into the ID makes a
 * replay proof that the create was this resource's own. `__`-prefixed inputs are hidden from Pulumi's display and
 * ignored by the diff, so the key never causes a change.
 */
export const CREATE_KEY = "__createKey";
