/** One side of an A/B(/C) comparison: an untimed preparation, then the timed run. */
export interface Side {
  name: string;
  /** Untimed: puts the next run's input in place. */
  prepare: () => Promise<void>;
  /** Timed: returns how many parts of the run failed (0 = all done). */
  run: () => Promise<number>;
}

export interface Result {
  wall: number[];
  failed: number;
}

/**
 * `n` rounds of every side, the order rotated each round so a burst of load from elsewhere hits every
 * side alike; wall times in ms per side, in the order of `sides`.
 */
export async function rounds(sides: Side[], n: number, label: string): Promise<Result[]> {
  const results = sides.map(() => ({ wall: [] as number[], failed: 0 }));
  for (let round = 0; round < n; round++) {
    for (let k = 0; k < sides.length; k++) {
      const i = (round + k) % sides.length;
      const side = sides[i] as Side;
      await side.prepare();
      const t0 = process.hrtime.bigint();
      const failed = await side.run();
      const wall = Number(process.hrtime.bigint() - t0) / 1e6;
      (results[i] as Result).wall.push(wall);
      (results[i] as Result).failed += failed;
      console.error(`${label} round ${round + 1} ${side.name}: ${wall.toFixed(0)} ms, ${failed} failed`);
    }
  }
  return results;
}
