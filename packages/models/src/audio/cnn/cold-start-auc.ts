import type { DenseMatrix } from "../../core/index.ts";

/**
 * How well predicted item vectors rank each item's real listeners above everyone else:
 * for item i, every user u gets the score userFactors[u] . predicted[i], and the item's AUC
 * is the probability that a held-out listener outscores a non-listener (ties count half).
 * Returns the mean over items that have at least one listener and one non-listener, or NaN
 * when no item does. Random vectors give about 0.5; a perfect ranking gives 1.
 */
export function coldStartAuc(predictedItemVectors: DenseMatrix, userFactors: DenseMatrix, heldOutPositives: Int32Array[]): number {
  const d = predictedItemVectors.cols,
    users = userFactors.rows;
  if (userFactors.cols !== d) throw new RangeError(`userFactors have ${userFactors.cols} columns, predicted item vectors ${d}`);
  if (heldOutPositives.length !== predictedItemVectors.rows) {
    throw new RangeError(`heldOutPositives has ${heldOutPositives.length} lists for ${predictedItemVectors.rows} items`);
  }
  const scores = new Float64Array(users);
  const order = new Int32Array(users);
  const isPositive = new Uint8Array(users);
  let sum = 0,
    counted = 0;
  heldOutPositives.forEach((positives, item) => {
    isPositive.fill(0);
    let positiveCount = 0;
    for (const u of positives) {
      if (!Number.isInteger(u) || u < 0 || u >= users) throw new RangeError(`heldOutPositives[${item}] has user ${u}, outside 0..${users - 1}`);
      if (!isPositive[u]) positiveCount++;
      isPositive[u] = 1;
    }
    const negativeCount = users - positiveCount;
    if (positiveCount === 0 || negativeCount === 0) return;
    for (let u = 0; u < users; u++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += userFactors.data[u * d + j] * predictedItemVectors.data[item * d + j];
      scores[u] = s;
      order[u] = u;
    }
    order.sort((a, b) => scores[a] - scores[b]);
    // Mann-Whitney U from the rank sum of the positives, with mid-ranks for ties.
    let rankSum = 0;
    for (let start = 0; start < users;) {
      let end = start + 1;
      while (end < users && scores[order[end]] === scores[order[start]]) end++;
      const midRank = (start + 1 + end) / 2;
      for (let k = start; k < end; k++) if (isPositive[order[k]]) rankSum += midRank;
      start = end;
    }
    const u = rankSum - (positiveCount * (positiveCount + 1)) / 2;
    sum += u / (positiveCount * negativeCount);
    counted++;
  });
  return counted ? sum / counted : Number.NaN;
}
