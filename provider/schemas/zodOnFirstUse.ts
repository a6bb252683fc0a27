/**
 * A value built with zod when it is first used, not when the module declaring it is imported. A Pulumi program
 * imports this package on every run and the provider host loads the runtime at its start, yet most runs validate
 * nothing with these values; zod alone takes ~90 ms to load (BENCHMARKS.md, profile finding 2).
 * `tests/program/packageLoad.test.ts` checks that importing the package loads no zod.
 *
 * @param build Makes the value from the zod module; called once, on the first call of the returned function.
 * @returns A function that answers the value, built on its first call and the same one after.
 */
export function zodOnFirstUse<T>(build: (zod: typeof import("zod")) => T): () => T {
  let built: { value: T } | undefined;
  return () => {
    built ??= { value: build(require("zod")) };
    return built.value;
  };
}
