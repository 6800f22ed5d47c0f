// One worker thread of `npm run sim`: runs the seed ranges the main thread hands it and posts back
// each range's summary. The simulation is pure and single-threaded; parallelism is across seeds.

import { parentPort } from 'node:worker_threads';
import { runSeeds, type SeedsOptions } from '../core/sim/run-seeds.js';

parentPort!.on('message', (options: SeedsOptions) => {
  parentPort!.postMessage(runSeeds(options));
});
