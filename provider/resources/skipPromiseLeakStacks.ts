/**
 * `@pulumi/pulumi` wraps every output promise it makes in `debuggablePromise`, which formats a stack trace
 * (`new Error().stack`) for the promise-leak report. That report is printed only when
 * `PULUMI_DEBUG_PROMISE_LEAKS` is set, yet the stack is formatted every time: four per declared property of every
 * resource. Under the Node.js language host `@cspotcode/source-map-support` (ts-node's) formats each one frame by
 * frame through source maps, about 0.4 ms apiece: with the 15 properties of a `PartnerCustomer` and 7 of a
 * `CustomerAgreement` this was most of what an unchanged `pulumi preview` spent in the program beyond the engine's
 * own floor (BENCHMARKS.md, "Profile findings").
 *
 * While a resource constructor registers (synchronously, inside `super(...)`), stacks captured by
 * `debuggablePromise` get a placeholder instead; every other stack (the registration's source position, the errors
 * it preallocates) is formatted by the program's own `Error.prepareStackTrace` as before. With
 * `PULUMI_DEBUG_PROMISE_LEAKS` set, or when the program formats stacks natively (no `prepareStackTrace` hook),
 * nothing changes.
 */

/** What a skipped stack reads, should anyone look. */
export const SKIPPED_PROMISE_STACK = "(stack not formatted; set PULUMI_DEBUG_PROMISE_LEAKS to keep it)";

/** The `@pulumi/pulumi` function whose stacks are only read by its leak report. */
const LEAK_DEBUG_FRAME = "debuggablePromise";

type PrepareStackTrace = (error: Error, stack: NodeJS.CallSite[]) => unknown;

/**
 * Stops formatting `debuggablePromise` stacks until the returned function is called. Call it right before a
 * resource's `super(...)` and restore in a `finally`: the hook is installed only for that synchronous call.
 */
export function skipPromiseLeakStacks(): () => void {
  const original = Error.prepareStackTrace as PrepareStackTrace | undefined;
  if (typeof original !== "function" || process.env.PULUMI_DEBUG_PROMISE_LEAKS) {
    return () => {};
  }
  const skipping: PrepareStackTrace = (error, stack) =>
    stack[0]?.getFunctionName() === LEAK_DEBUG_FRAME ? SKIPPED_PROMISE_STACK : original(error, stack);
  Error.prepareStackTrace = skipping;
  return () => {
    // Someone else may have installed a hook meanwhile (a lazily loaded source-map library); keep theirs.
    if (Error.prepareStackTrace === skipping) Error.prepareStackTrace = original;
  };
}
