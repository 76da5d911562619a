// Compile-time assertions for the *.types.ts files: tsc (npm test's type check) fails on a false one.

/** True only when A and B are the same type (not merely assignable to each other). */
export type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;

/** Compiles only when its argument is `true`: `expectTrue<Equal<typeof x, Expected>>()`. */
export function expectTrue<_Condition extends true>(): void {}
