/** "Now", injected so tests and the simulator can fix time; production uses `systemClock`. */
export type Clock = { now: () => Date };
export const systemClock: Clock = { now: () => new Date() };
