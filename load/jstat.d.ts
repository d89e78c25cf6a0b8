// jStat ships no type declarations (and there is no @types package); these are the two functions the comparison
// uses (load/compare.ts), as jStat documents them.
declare module 'jstat' {
  interface Jstat {
    /** Inverse CDF of Student's t with `dof` degrees of freedom. */
    studentt: { inv(p: number, dof: number): number };
    /** Inverse CDF of the normal distribution. */
    normal: { inv(p: number, mean: number, std: number): number };
  }
  const jstat: { jStat: Jstat };
  export default jstat;
}
