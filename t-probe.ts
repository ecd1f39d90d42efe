import { seededRandom } from "./packages/models/src/core/index.ts";
import { ContentNetwork } from "./packages/models/src/audio/cnn/content-network.ts";
import { syntheticAudioSet } from "./packages/models/src/audio/cnn/synthetic.ts";
const backend = (process.argv[2] ?? "cpu") as "cpu" | "gpu";
const set = syntheticAudioSet({ count: 400, bands: 96, frames: 256, targetDim: 64, random: seededRandom(1) });
const net = new ContentNetwork({ backend, maxEpochs: 8 });
let t = performance.now();
await net.fit(set.inputs, set.targets, { onEpoch: (e, tr, va) => { console.log(e, tr.toFixed(5), va.toFixed(5), ((performance.now() - t) / 1000).toFixed(2) + "s"); t = performance.now(); } });
console.log("baseline", net.baselineValLoss, "best", net.bestEpoch, net.backendName);
