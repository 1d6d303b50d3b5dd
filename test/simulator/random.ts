// The simulator's one source of randomness for behaviour (durations, random faults, replication lag), seeded
// so a run can be replayed: the seed is in the config (`seed`), printed by `npm run simulator`, and
// reset() starts the sequence again. Task ids and request ids are not behaviour and stay crypto-random
// (a replayed run must not reuse the ids of tasks a client may still remember).

import { randomInt } from 'node:crypto';

/** A fresh seed for runs that did not ask for one. */
export function newSeed(): number {
  return randomInt(0, 2 ** 32);
}

export class Rng {
  private state = 0;

  constructor(seed: number) {
    this.reseed(seed);
  }

  reseed(seed: number): void {
    this.state = seed >>> 0;
  }

  /** Uniform in [0, 1): mulberry32, small and good enough for simulating a queue. */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Uniform in [min, max). */
  between(min: number, max: number): number {
    return min + (max - min) * this.next();
  }

  /** Standard normal (Box-Muller). */
  normal(): number {
    const u = 1 - this.next(); // (0, 1]: log(0) never happens
    const v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** Log-normal factor with median 1: exp(sigma * N(0,1)). */
  logNormal(sigma: number): number {
    return Math.exp(sigma * this.normal());
  }

  /** Pareto with minimum 1 and shape alpha (heavier tail for smaller alpha). */
  pareto(alpha: number): number {
    return Math.pow(1 - this.next(), -1 / alpha);
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }
}
