import { ImplicitAls } from "./src/cf/als.ts";
import { LogisticMf } from "./src/cf/lmf.ts";
import { checkerboard, droppedItem, boardSize } from "./src/cf/recommender-suite.ts";
const board = checkerboard();
const users = Int32Array.from({ length: boardSize }, (_, u) => u);
for (const factors of [2, 3, 4]) for (const solver of ["cg", "cholesky", "lmf"] as const) {
  let fails = 0, simFails = 0;
  for (let seed = 0; seed < 10; seed++) {
    const m = solver === "lmf" ? new LogisticMf({ factors, iterations: 40, negativeSamples: 3, seed }) : new ImplicitAls({ factors, solver, threads: 1, seed });
    await m.fit(board);
    const rec = m.recommend(users, board, { n: 1 });
    for (let u = 0; u < boardSize; u++) if (rec.ids[u] !== droppedItem(u)) fails++;
    for (let i = 0; i < boardSize; i++) { const s = m.similarItems(i, 5); if (!Array.from(s.ids).every((j) => j % 2 === i % 2)) simFails++; const t = m.similarUsers(i, 5); if (!Array.from(t.ids).every((j) => j % 2 === i % 2)) simFails++; }
  }
  console.log(factors, solver, fails, simFails);
}
